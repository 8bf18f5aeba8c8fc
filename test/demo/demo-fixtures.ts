import { planDiff, modelQuery } from '../../src/warehouse/diff/diff-plan.js'
import type { SyncSpec } from '../../src/model/spec-types.js'
import type { Row, WarehouseAdapter, WarehouseValue } from '../../src/warehouse/warehouse-adapter.js'

/** Rows of a query, with column names in lower case whatever the engine reports. */
export async function readRows(adapter: WarehouseAdapter, sql: string): Promise<Row[]> {
  const { rows } = await adapter.run({ sql })
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name.toLowerCase(), value])))
}

/** A value as text: strings as they are, anything else as JSON (dates as ISO strings). */
export function asText(value: WarehouseValue | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null)
}

/** The single value of a one-row, one-column query, as a number. */
export async function readNumber(adapter: WarehouseAdapter, sql: string): Promise<number> {
  const [row] = await readRows(adapter, sql)
  return Number(Object.values(row ?? {})[0])
}

/** A whole table by its key column, each row as comparable text. */
export async function readTable(adapter: WarehouseAdapter, table: string, key: string): Promise<Map<string, Row>> {
  const rows = await readRows(adapter, `select * from ${table} order by ${key}`)
  return new Map(rows.map((row) => [asText(row[key]), row]))
}

/** A sync's model as the diff sees it: its mapped column values by key, and how many keys are null. */
export interface ModelSnapshot {
  rows: number
  nullKeys: number
  duplicateKeys: number
  byKey: Map<string, string>
}

/** Reads a sync's model through `planDiff`, which throws when a key or mapped column is missing. */
export async function readModel(adapter: WarehouseAdapter, sync: SyncSpec): Promise<ModelSnapshot> {
  const plan = planDiff(sync, await adapter.describe(modelQuery(sync)), 'test')
  const { rows } = await adapter.run({ sql: `select * from (${plan.modelSql}) m` })
  const byKey = new Map<string, string>()
  let nullKeys = 0
  let duplicateKeys = 0
  for (const row of rows) {
    const key = row[plan.keyColumn] ?? null
    if (key === null) nullKeys++
    else if (byKey.has(asText(key))) duplicateKeys++
    else byKey.set(asText(key), JSON.stringify(plan.columns.map((column) => row[column] ?? null)))
  }
  return { rows: rows.length, nullKeys, duplicateKeys, byKey }
}

/** What changed in a model between two snapshots, by key. */
export function compareModels(before: ModelSnapshot, after: ModelSnapshot): { created: number; updated: number; gone: number } {
  let created = 0
  let updated = 0
  for (const [key, values] of after.byKey) {
    const old = before.byKey.get(key)
    if (old === undefined) created++
    else if (old !== values) updated++
  }
  const gone = [...before.byKey.keys()].filter((key) => !after.byKey.has(key)).length
  return { created, updated, gone }
}
