import { syncTables } from '../state/state-tables.js'
import type { WarehouseAdapter, WarehouseReader } from '../warehouse-adapter.js'
import { toChangeRow, type ChangeRow, type ChangeSet } from './compute-diff.js'

/** Rows per page: upserts and deletes go to different endpoints, each with its own batch size. */
export interface PageSizes {
  upsertRows: number
  deleteRows: number
}

/** A run's change set numbered in pages (`pages__<sync>`), for workers that each deliver some of them. */
export interface PagedChanges {
  table: string
  /** Pages `0 … upsertPages - 1` hold added and changed rows. */
  upsertPages: number
  /** Pages `upsertPages …` after them hold removals. */
  deletePages: number
}

/**
 * Numbers the rows to deliver of a run's change set in pages of a known size, in the warehouse
 * (`pages__<sync>`, replaced by every spread run): a worker then reads page N with one query, on
 * any machine, and rows never travel through the workflow engine. Upserts come first, removals
 * after, so a page holds one kind and is a known number of requests. The caller holds the lease.
 */
export async function pageChangeSet(
  adapter: WarehouseAdapter,
  schema: string,
  sync: string,
  changes: ChangeSet,
  sizes: PageSizes,
): Promise<PagedChanges> {
  if (changes.table === undefined) throw new Error('a change set read as it is delivered cannot be paged')
  const { dialect } = adapter
  const table = syncTables(dialect, schema, sync).pages
  const upsertPages = Math.ceil((changes.counts.added + changes.counts.changed) / sizes.upsertRows)
  const deletePages = Math.ceil(changes.counts.removed / sizes.deleteRows)
  const bigint = dialect.types.bigint
  const page = `case when __removal = 1 then ${upsertPages} + floor((__n - 1) / ${sizes.deleteRows}.0) else floor((__n - 1) / ${sizes.upsertRows}.0) end`
  await adapter.run({
    sql: dialect.createTableAs(
      table,
      // Ordered by page, so that DuckDB and Snowflake skip the rest of the table by each block's range.
      `select p.*, cast(${page} as ${bigint}) as __page from (
        select c.*, case when __op = 'removed' then 1 else 0 end as __removal,
          row_number() over (partition by case when __op = 'removed' then 1 else 0 end order by __key) as __n
        from ${changes.table} c where __op in ('added', 'changed', 'removed')) p order by ${page}`,
    ),
  })
  // Where the engine cannot skip blocks by their range of pages, an index keeps each page one lookup.
  const index = dialect.createIndex?.(table, '__page')
  if (index !== undefined) await adapter.run({ sql: index })
  return { table, upsertPages, deletePages }
}

/** One page of a paged change set, as the runner delivers it. */
export async function readChangePage(
  reader: WarehouseReader,
  table: string,
  page: number,
  columns: readonly string[],
): Promise<ChangeRow[]> {
  const { rows } = await reader.run({ sql: `select * from ${table} where __page = ? order by __n`, params: [page] })
  return rows.map((row) => toChangeRow(row, columns))
}

/** Drops a run's paged change set once the run is over. */
export async function dropChangePages(adapter: WarehouseAdapter, schema: string, sync: string): Promise<void> {
  await adapter.run({ sql: `drop table if exists ${syncTables(adapter.dialect, schema, sync).pages}` })
}
