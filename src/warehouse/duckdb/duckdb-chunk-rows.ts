import { normalizeValue } from '../normalize-value.js'
import type { Row } from '../warehouse-adapter.js'

/* The slice of @duckdb/node-api that reading a streamed result uses. */
interface DuckdbType {
  readonly typeId: number
}
interface DuckdbVector {
  readonly type: DuckdbType
  getItem(index: number): unknown
}
interface DuckdbChunk {
  readonly rowCount: number
  getColumnVector(index: number): DuckdbVector
}
/** A streamed result: its column names, and its chunks, fetched one at a time (null at the end). */
export interface DuckdbChunkedResult {
  deduplicatedColumnNames(): string[]
  fetchChunk(): Promise<DuckdbChunk | null>
}
/** The driver's conversion of a value to plain JS (dates, bigints, arrays, objects), by type. */
export type DuckdbToJs = (value: unknown, type: DuckdbType, converter: DuckdbToJs) => unknown

/**
 * The rows of a streamed result, one array per chunk the engine returns. The next chunk is fetched
 * while the caller works on the rows of this one, so the engine produces it meanwhile instead of
 * when asked. Each chunk is read a column at a time (one vector, one type, one conversion), and
 * every row object is built with its properties in the same order: row by row, the driver visits
 * each value through a callback and the rows then need normalizing into second objects, which cost
 * more than the values themselves.
 */
export async function* chunkRows(result: DuckdbChunkedResult, toJs: DuckdbToJs): AsyncIterable<Row[]> {
  const names = result.deduplicatedColumnNames()
  let next: Promise<DuckdbChunk | null> | undefined = result.fetchChunk()
  try {
    for (;;) {
      const chunk = await next
      next = undefined
      if (chunk === null || chunk.rowCount === 0) return
      const rows = readChunk(chunk, names, toJs)
      next = result.fetchChunk()
      yield rows
    }
  } finally {
    // A fetch still under way ends before the caller closes the connection; what it brings is not needed.
    await next?.catch(() => undefined)
  }
}

function readChunk(chunk: DuckdbChunk, names: readonly string[], toJs: DuckdbToJs): Row[] {
  const count = chunk.rowCount
  const rows: Row[] = []
  for (let index = 0; index < count; index++) rows.push({})
  names.forEach((name, column) => {
    const vector = chunk.getColumnVector(column)
    const type = vector.type
    for (let index = 0; index < count; index++) (rows[index] as Row)[name] = plain(vector.getItem(index), type, toJs)
  })
  return rows
}

/** A value as a row holds it: strings, numbers and booleans as the vector gives them, the rest converted. */
function plain(value: unknown, type: DuckdbType, toJs: DuckdbToJs): Row[string] {
  if (value === null) return null
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  return normalizeValue(toJs(value, type, toJs))
}
