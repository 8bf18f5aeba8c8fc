import { WarehousePool } from '../../src/engine/warehouse-pool.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'

/**
 * Runs SQL on the warehouse of the first Source in a spec directory, and closes it again: the CLI
 * under test opens the DuckDB file itself.
 */
export async function sqlOnSpecsWarehouse(dir: string, statement: string): Promise<void> {
  const pool = new WarehousePool({})
  try {
    const [source] = (await loadValidSpecs(dir)).sources
    if (source === undefined) throw new Error(`${dir} defines no Source`)
    await (await pool.get(source)).run({ sql: statement })
  } finally {
    await pool.closeAll()
  }
}
