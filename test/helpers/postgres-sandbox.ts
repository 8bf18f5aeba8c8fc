import { randomBytes } from 'node:crypto'

import pg from 'pg'

/** A database of its own on the test server, and a login role that may only read what it is granted. */
export interface PostgresSandbox {
  /** The new database, as the server's superuser. */
  adminUrl: string
  /** The new database, as the read-only role. */
  readerUrl: string
  /** Runs SQL as the superuser, in the new database. */
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>
  /** Grants the role USAGE on `schema` and SELECT on every table in it now. */
  grantRead(schema: string): Promise<void>
  /** Every table outside the system schemas, as `schema.table`, with its row count. */
  tables(): Promise<Record<string, number>>
  /** Drops the database and the role. */
  drop(): Promise<void>
}

/**
 * Creates a fresh database on the server of `serverUrl` (a superuser's URL) and a role that can
 * log in and read nothing yet: PostgreSQL 15 gives PUBLIC the right to connect and to make
 * temporary tables, and no longer the right to create anything in `public`.
 */
export async function createPostgresSandbox(serverUrl: string): Promise<PostgresSandbox> {
  const name = `outflow_ro_${randomBytes(5).toString('hex')}`
  await withClient(serverUrl, async (client) => {
    await client.query(`create database ${name}`)
    await client.query(`create role ${name} login password 'reads-only'`)
  })
  const adminUrl = withPath(serverUrl, name)
  const reader = new URL(adminUrl)
  reader.username = name
  reader.password = 'reads-only'
  const query = (sql: string, params?: unknown[]) => withClient(adminUrl, (client) => client.query(sql, params))
  return {
    adminUrl,
    readerUrl: reader.toString(),
    query,
    grantRead: async (schema) => {
      await query(`grant usage on schema ${schema} to ${name}`)
      await query(`grant select on all tables in schema ${schema} to ${name}`)
    },
    tables: async () => {
      const { rows } = await query(
        `select table_schema || '.' || table_name as name from information_schema.tables
          where table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg_temp%' order by 1`,
      )
      const counted: Record<string, number> = {}
      for (const { name: table } of rows as { name: string }[]) {
        counted[table] = Number(((await query(`select count(*) as n from ${table}`)).rows[0] as { n: string }).n)
      }
      return counted
    },
    drop: () =>
      withClient(serverUrl, async (client) => {
        await client.query(`drop database if exists ${name} with (force)`)
        await client.query(`drop role if exists ${name}`)
      }),
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

function withPath(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}
