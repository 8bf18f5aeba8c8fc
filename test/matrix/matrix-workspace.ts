import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { main } from '../../src/cli/main.js'
import { WarehousePool } from '../../src/engine/warehouse-pool.js'
import type { SyncRunResult } from '../../src/engine/sync-run-result.js'
import { EMULATOR_DEFAULT_CREDENTIALS } from '../../providers/emulators.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import { textField } from '../../src/warehouse/row-field.js'
import { stateTables, syncTables } from '../../src/warehouse/state/state-tables.js'
import type { SourceSpec } from '../../src/model/spec-types.js'
import type { Row, WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'
import type { MatrixCase } from './matrix-cases.js'
import type { MatrixEmulators } from './vendor-records.js'

/** The name of the one sync of a matrix workspace. */
export const MATRIX_SYNC = 'matrix'

/** Environment variables the destinations read their credentials from, as in production. */
const CREDENTIALS = {
  MATRIX_LOOPS_KEY: EMULATOR_DEFAULT_CREDENTIALS.loops.apiKey,
  MATRIX_BRAZE_KEY: EMULATOR_DEFAULT_CREDENTIALS.braze.apiKey,
  MATRIX_CLEVERTAP_PASSCODE: EMULATOR_DEFAULT_CREDENTIALS.clevertap.passcode,
  MATRIX_COURIER_TOKEN: EMULATOR_DEFAULT_CREDENTIALS.courier.authToken,
}

/** Sets the credentials the destination specs refer to. */
export function setMatrixCredentials(): void {
  Object.assign(process.env, CREDENTIALS)
}

/** What a run left in the warehouse. */
export interface RunState {
  model: Row[]
  /** Rows the run refused, with the reasons users read in `outflow rejected`, by key. */
  rejected: Map<string, string>
  snapshot: Map<string, SnapshotRow>
}

/** A row of the snapshot: what the runner recorded as accepted by the destination. */
export interface SnapshotRow {
  key: string
  syncedAt: Date
  created: boolean | null
}

/**
 * A user's project in a temp dir: a DuckDB source, the four destinations pointed at the
 * emulators, and one sync for a matrix case. Runs go through the CLI entry point; the model and
 * Outflow's state are read with SQL between runs, as a user would inspect them.
 */
export class MatrixWorkspace {
  /**
   * Held open for the whole case: DuckDB then keeps the database in its instance cache between
   * runs instead of writing a checkpoint each time the CLI closes it, which only costs time.
   */
  private readonly warehouses = new WarehousePool({})
  private source: SourceSpec | undefined

  private constructor(readonly dir: string) {}

  static async create(emulators: MatrixEmulators, matrixCase: MatrixCase): Promise<MatrixWorkspace> {
    const workspace = new MatrixWorkspace(await mkdtemp(join(tmpdir(), 'outflow-matrix-')))
    await workspace.write(
      'warehouse.yaml',
      `apiVersion: outflow/v1\nkind: Source\nmetadata: { name: warehouse }\nspec: { type: duckdb, path: warehouse.duckdb }\n`,
    )
    await workspace.write('destinations.yaml', destinationsYaml(emulators))
    await workspace.write('sync.yaml', syncYaml(matrixCase))
    return workspace
  }

  /** Runs `outflow run --from-dir <dir> --json` and returns its exit code and the sync's result. */
  async run(): Promise<{ code: number; result: SyncRunResult }> {
    let stdout = ''
    let stderr = ''
    const code = await main(['run', '--from-dir', this.dir, '--json'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) })
    const parsed = JSON.parse(stdout) as { results: SyncRunResult[] }
    const result = parsed.results[0]
    if (result === undefined) throw new Error(`outflow run reported no result: ${stdout}${stderr}`)
    return { code, result }
  }

  /** Runs statements on the model's warehouse; the CLI opens the same DuckDB file, in this process. */
  async sql(...statements: string[]): Promise<Row[]> {
    return this.withWarehouse(async (adapter) => {
      let rows: Row[] = []
      for (const sql of statements) rows = (await adapter.run({ sql })).rows
      return rows
    })
  }

  /**
   * Reads, in one session, what a run left: the model as it now is, the rows the run refused with
   * their reasons, and the sync's snapshot.
   */
  async inspect(modelQuery: string, runId: string): Promise<RunState> {
    return this.withWarehouse(async (adapter, schema) => {
      const model = (await adapter.run({ sql: modelQuery })).rows
      const { rows: refusals } = await adapter.run({
        sql: `select row_key, reason from ${stateTables(adapter.dialect, schema).rejectedRows} where sync = ? and run_id = ?`,
        params: [MATRIX_SYNC, runId],
      })
      const { snapshot } = syncTables(adapter.dialect, schema, MATRIX_SYNC)
      const { rows: snapshotRows } = await adapter.run({ sql: `select row_key, synced_at, created from ${snapshot}` })
      return {
        model,
        rejected: new Map(refusals.map((row) => [textField(row, 'row_key') ?? '', textField(row, 'reason') ?? ''])),
        snapshot: new Map(snapshotRows.map((row) => [textField(row, 'row_key') ?? '', snapshotRow(row)])),
      }
    })
  }

  async dispose(): Promise<void> {
    await this.warehouses.closeAll()
    await rm(this.dir, { recursive: true, force: true })
  }

  private async write(file: string, text: string): Promise<void> {
    await writeFile(join(this.dir, file), text)
  }

  private async withWarehouse<T>(fn: (adapter: WarehouseAdapter, schema: string) => Promise<T>): Promise<T> {
    this.source ??= (await loadValidSpecs(this.dir)).sources[0]
    if (this.source === undefined) throw new Error('the matrix workspace has no source')
    return fn(await this.warehouses.get(this.source), this.source.connection.stateSchema)
  }
}

function snapshotRow(row: Row): SnapshotRow {
  const created = row['created']
  return {
    key: textField(row, 'row_key') ?? '',
    syncedAt: new Date(textField(row, 'synced_at') ?? 0),
    created: typeof created === 'boolean' ? created : null,
  }
}

function destinationsYaml(emulators: MatrixEmulators): string {
  const destination = (name: string, spec: string) =>
    `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: ${name} }\nspec: ${spec}\n`
  const { accountId } = EMULATOR_DEFAULT_CREDENTIALS.clevertap
  return [
    destination('loops', `{ type: loops, baseUrl: '${emulators.loops.url}', apiKey: { secret: MATRIX_LOOPS_KEY } }`),
    destination('braze', `{ type: braze, restEndpoint: '${emulators.braze.url}', apiKey: { secret: MATRIX_BRAZE_KEY } }`),
    destination(
      'clevertap',
      `{ type: clevertap, region: eu1, accountId: ${accountId}, baseUrl: '${emulators.clevertap.url}', passcode: { secret: MATRIX_CLEVERTAP_PASSCODE } }`,
    ),
    destination('courier', `{ type: courier, baseUrl: '${emulators.courier.url}', authToken: { secret: MATRIX_COURIER_TOKEN } }`),
  ].join('---\n')
}

/** The case's sync over the model table `people`, keyed by `id`. */
function syncYaml(matrixCase: MatrixCase): string {
  const key = matrixCase.keyField === undefined ? '{ column: id }' : `{ column: id, field: ${matrixCase.keyField} }`
  const mappings = [
    ...matrixCase.fields.map((m) => `    - { column: ${m.column}, field: ${m.field}${m.type === undefined ? '' : `, type: ${m.type}`} }`),
    ...Object.entries(matrixCase.constants ?? {}).map(([field, value]) => `    - { constant: ${value}, field: ${field} }`),
  ]
  const options = Object.entries(matrixCase.options ?? {}).map(([name, value]) => `    ${name}: ${value}`)
  return [
    'apiVersion: outflow/v1',
    'kind: Sync',
    `metadata: { name: ${MATRIX_SYNC} }`,
    'spec:',
    '  source: warehouse',
    '  model: { table: people }',
    `  destination: ${matrixCase.destination}`,
    `  object: ${matrixCase.object}`,
    `  behavior: ${matrixCase.behavior}`,
    `  key: ${key}`,
    '  mappings:',
    ...mappings,
    ...(options.length === 0 ? [] : ['  options:', ...options]),
    // Events already in the model on the first run are sent too: the matrix checks each is sent once.
    ...(matrixCase.behavior === 'send' ? ['  backfill: true'] : []),
    '',
  ].join('\n')
}
