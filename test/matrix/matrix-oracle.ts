import type { MatrixCase, ModelColumn } from './matrix-cases.js'
import type { Fields } from './vendor-records.js'

/** A row of the model `people`, as the warehouse returns it. */
export type ModelRow = Readonly<Record<ModelColumn, unknown>>

/**
 * What the destination and the snapshot must hold after each run, worked out from the model alone
 * and the behavior's promise: `upsert` writes every row and keeps the records of removed rows,
 * `mirror` also removes them, `update` writes only records that already exist and never creates
 * one, `send` delivers each new row once as an event and never again. A row whose null the
 * destination refuses is rejected and leaves the destination as it was.
 */
export class MatrixOracle {
  /** Records the destination must hold, by key, with the fields the sync maps. */
  readonly records = new Map<string, Fields>()
  /** Events the destination must have received, one per key, as the row was when it was new. */
  readonly events = new Map<string, Fields>()
  /** Keys the destination accepted at least once. */
  private readonly accepted = new Set<string>()
  private inModel = new Set<string>()

  constructor(
    private readonly matrixCase: MatrixCase,
    existing: ReadonlyMap<string, Fields> = new Map(),
  ) {
    for (const [key, fields] of existing) this.records.set(key, fields)
  }

  /** Moves the expected state past one run over `model`; returns the keys the run must refuse. */
  run(model: readonly ModelRow[]): Set<string> {
    const refused = new Set<string>()
    this.inModel = new Set(model.map(keyOf))
    for (const row of model) {
      const key = keyOf(row)
      if (this.matrixCase.refusesNull.some((column) => row[column] === null)) {
        refused.add(key)
        continue
      }
      this.accepted.add(key)
      this.write(key, this.expectedFields(row))
    }
    if (this.matrixCase.behavior === 'mirror') for (const key of this.records.keys()) if (!this.inModel.has(key)) this.records.delete(key)
    return refused
  }

  /**
   * Keys the snapshot must hold: every key accepted so far, except, for `mirror`, those removed
   * from the model since (removals of other behaviors are not synced, so their keys stay).
   */
  snapshotKeys(): Set<string> {
    if (this.matrixCase.behavior !== 'mirror') return new Set(this.accepted)
    return new Set([...this.accepted].filter((key) => this.inModel.has(key)))
  }

  /** The fields the destination must hold for `row`: mapped columns in their types, and constants. */
  expectedFields(row: ModelRow): Fields {
    const fields: Fields = {}
    for (const { column, field, type } of this.matrixCase.fields) {
      const value = row[column]
      fields[field] = value === null ? null : type === 'number' ? Number(value) : textOf(value)
    }
    return { ...fields, ...this.matrixCase.constants }
  }

  private write(key: string, fields: Fields): void {
    switch (this.matrixCase.behavior) {
      case 'send':
        if (!this.events.has(key)) this.events.set(key, fields)
        return
      case 'update':
        if (this.records.has(key)) this.records.set(key, fields)
        return
      default:
        this.records.set(key, fields)
    }
  }
}

/** The destination fields a case writes: its mapped fields and its constants. */
export function writtenFields(matrixCase: MatrixCase): string[] {
  return [...matrixCase.fields.map((mapping) => mapping.field), ...Object.keys(matrixCase.constants ?? {})]
}

/** The sync key of a model row. */
export function keyOf(row: ModelRow): string {
  return textOf(row.id)
}

/** A model value as text, as the warehouse would cast it. */
function textOf(value: unknown): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'bigint'
      ? value.toString()
      : JSON.stringify(value)
}

/**
 * The mapped fields of a held record, with an absent field, `null` and the empty string read
 * alike: each is how one destination shows a cleared value (Loops empties standard strings).
 */
export function pickFields(held: Fields, fields: readonly string[]): Fields {
  return Object.fromEntries(fields.map((field) => [field, cleared(held[field]) ? null : held[field]]))
}

function cleared(value: unknown): boolean {
  return value === undefined || value === null || value === ''
}
