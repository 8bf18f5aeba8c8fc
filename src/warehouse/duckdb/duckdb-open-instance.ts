import type { DuckdbConfig } from './duckdb-config.js'

/* The slice of @duckdb/node-api's instance cache that opening a database uses. */
interface DuckdbInstanceCache<I> {
  fromCache(path?: string, options?: Record<string, string>): Promise<I>
}

/**
 * DuckDB's answer when the process already holds the file under other settings (read-write,
 * here): its instance cache keeps one configuration per file. DuckDB gives the error no code.
 */
const OTHER_CONFIGURATION = /different configuration than existing connections/

/**
 * Opens a database through DuckDB's instance cache, read-only when the config asks and the engine
 * allows it: a file opened read-only refuses every write. `:memory:` cannot be read-only, and a
 * file this process already has open read-write (a runner and a plan in one process) is shared
 * as it is: a read-only caller writes nothing to it either way.
 */
export async function openCachedInstance<I>(
  cache: DuckdbInstanceCache<I>,
  config: DuckdbConfig,
  options: Record<string, string>,
): Promise<I> {
  if (config.readOnly !== true || config.path === ':memory:') return cache.fromCache(config.path, options)
  try {
    return await cache.fromCache(config.path, { ...options, access_mode: 'READ_ONLY' })
  } catch (error) {
    if (!(error instanceof Error) || !OTHER_CONFIGURATION.test(error.message)) throw error
    return cache.fromCache(config.path, options)
  }
}
