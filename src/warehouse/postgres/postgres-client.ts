/*
 * The slice of `pg` the PostgreSQL adapter uses, so the rest of Outflow never depends on it: `pg`
 * is an optional peer dependency, loaded on first use.
 */

/** What a query answers. */
export interface PgResult {
  rows: Record<string, unknown>[]
  rowCount: number | null
  fields: { name: string; dataTypeID: number }[]
}

/** A query as a config object: `queryMode: 'extended'` sends it through the extended protocol even without parameters. */
export interface PgQueryConfig {
  text: string
  values?: unknown[]
  queryMode?: 'extended'
}

/** A pool or one of its clients: both run queries. */
export interface PgQueryable {
  query(sql: string, params?: unknown[]): Promise<PgResult>
  query(config: PgQueryConfig): Promise<PgResult>
}

/** A connection checked out of the pool. */
export interface PgClient extends PgQueryable {
  /** `destroy`: close the connection instead of returning it (its session state is unknown). */
  release(destroy?: boolean): void
}

/** A `pg.Pool`. */
export interface PgPool extends PgQueryable {
  connect(): Promise<PgClient>
  end(): Promise<void>
}

/** The `pg` module. */
export interface PgModule {
  default: {
    Pool: new (config: Record<string, unknown>) => PgPool
    types: { builtins: { INT8: number }; getTypeParser(oid: number, format?: string): unknown }
  }
}
