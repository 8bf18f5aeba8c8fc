import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type { BrazeEmulator } from '../../providers/emulators.js'
import { sqlOnSpecsWarehouse } from './specs-warehouse-sql.js'

/** A spec directory with an embedded DuckDB warehouse and two syncs to a Braze emulator, for CLI tests. */
export interface BrazeCliWorkspace {
  dir: string
  /** Runs SQL on the warehouse (closed again: the CLI opens the file itself). */
  sql(statement: string): Promise<void>
  remove(): Promise<void>
}

/**
 * Writes the specs and the model: `braze-users` (mirror, every hour) and `braze-manual` (upsert,
 * run by hand), both reading `people`: five users and one row with a null key, which is rejected.
 * The Braze API key is read from `keyVariable`.
 */
export async function createBrazeCliWorkspace(braze: BrazeEmulator, keyVariable: string): Promise<BrazeCliWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'outflow-cli-braze-'))
  const write = (file: string, text: string) => writeFile(join(dir, file), text)
  await write(
    'warehouse.yaml',
    `apiVersion: outflow/v1\nkind: Source\nmetadata: { name: warehouse }\nspec: { type: duckdb, path: warehouse.duckdb }\n`,
  )
  await write(
    'destinations.yaml',
    `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: braze }\nspec: { type: braze, restEndpoint: '${braze.url}', apiKey: { secret: ${keyVariable} } }\n`,
  )
  await write('users.yaml', usersSync('braze-users', 'mirror', ['schedule: { interval: 1h }', 'maxDeletes: 1']))
  await write('manual.yaml', usersSync('braze-manual', 'upsert', []))
  const sql = (statement: string) => sqlOnSpecsWarehouse(dir, statement)
  await sql(`create table people as select 'u' || i as id, 'u' || i || '@example.com' as email, i as score from range(1, 6) t(i)`)
  await sql(`insert into people values (null, 'nobody@example.com', 0)`)
  return { dir, sql, remove: () => rm(dir, { recursive: true, force: true }) }
}

function usersSync(name: string, behavior: string, extra: readonly string[]): string {
  return `apiVersion: outflow/v1
kind: Sync
metadata: { name: ${name} }
spec:
  source: warehouse
  model: { table: people }
  destination: braze
  object: user
  behavior: ${behavior}
  key: { column: id, field: external_id }
  mappings:
    - { column: email }
    - { column: score, type: number }
${extra.map((line) => `  ${line}\n`).join('')}`
}
