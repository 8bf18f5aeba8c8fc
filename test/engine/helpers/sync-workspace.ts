import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { runnablesOf, type RunnableSync } from '../../../src/engine/runnable-sync.js'
import { runSyncs, type RunSyncsOptions } from '../../../src/engine/run-syncs.js'
import type { SyncRunResult } from '../../../src/engine/sync-run-result.js'
import { WarehousePool } from '../../../src/engine/warehouse-pool.js'
import { loadValidSpecs } from '../../../src/spec/load-valid-specs.js'
import type { SourceSpec } from '../../../src/model/spec-types.js'
import type { WarehouseAdapter } from '../../../src/warehouse/warehouse-adapter.js'

/** Retries that do not slow tests down: the policy is exercised, not the waiting. */
export const FAST_RETRY = { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 50 }

/**
 * A directory of specs with an embedded DuckDB warehouse, as a user would have: YAML files are
 * written, loaded and validated like `outflow run --from-dir` does, and run through the runner.
 */
export class SyncWorkspace {
  readonly warehouses: WarehousePool
  private constructor(
    readonly dir: string,
    readonly credentials: Record<string, string>,
  ) {
    this.warehouses = new WarehousePool(credentials)
  }

  static async create(destinations: string, credentials: Record<string, string>): Promise<SyncWorkspace> {
    const dir = await mkdtemp(join(tmpdir(), 'outflow-engine-'))
    const workspace = new SyncWorkspace(dir, credentials)
    await workspace.write(
      'warehouse.yaml',
      `apiVersion: outflow/v1\nkind: Source\nmetadata: { name: warehouse }\nspec: { type: duckdb, path: warehouse.duckdb }\n`,
    )
    await workspace.write('destinations.yaml', destinations)
    return workspace
  }

  async write(file: string, yaml: string): Promise<void> {
    await writeFile(join(this.dir, file), yaml)
  }

  async runnables(names?: readonly string[]): Promise<RunnableSync[]> {
    const all = runnablesOf(await loadValidSpecs(this.dir))
    return names === undefined ? all : all.filter((r) => names.includes(r.sync.name))
  }

  async source(): Promise<SourceSpec> {
    const specs = await loadValidSpecs(this.dir)
    const source = specs.sources[0]
    if (source === undefined) throw new Error('no source')
    return source
  }

  async warehouse(): Promise<WarehouseAdapter> {
    return this.warehouses.get(await this.source())
  }

  async sql(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    return (await (await this.warehouse()).run({ sql, params })).rows
  }

  async run(names?: readonly string[], options: RunSyncsOptions = {}): Promise<SyncRunResult[]> {
    return runSyncs(await this.runnables(names), {
      credentials: this.credentials,
      warehouses: this.warehouses,
      retry: FAST_RETRY,
      ...options,
    })
  }

  async runOne(name: string, options: RunSyncsOptions = {}): Promise<SyncRunResult> {
    const [result] = await this.run([name], options)
    if (result === undefined) throw new Error(`no sync ${name}`)
    return result
  }

  async dispose(): Promise<void> {
    await this.warehouses.closeAll()
    await rm(this.dir, { recursive: true, force: true })
  }
}

/** A Sync document in YAML, from its spec's lines. */
export function syncYaml(name: string, spec: string): string {
  return `apiVersion: outflow/v1\nkind: Sync\nmetadata: { name: ${name} }\nspec:\n${spec
    .trim()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')}\n`
}
