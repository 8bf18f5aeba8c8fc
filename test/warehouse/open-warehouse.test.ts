import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { redactSecrets } from '../../src/credentials/redact.js'
import type { SourceSpec } from '../../src/model/spec-types.js'
import { openWarehouse } from '../../src/warehouse/open-warehouse.js'

const meta = { description: undefined, labels: {}, origin: { file: 'w.yaml', line: 1 } }

describe('openWarehouse', () => {
  it('opens a DuckDB source from its spec', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'outflow-open-')), 'w.duckdb')
    const source: SourceSpec = {
      ...meta,
      kind: 'Source',
      name: 'local',
      connection: { type: 'duckdb', path, memoryLimit: '128MB', stateSchema: 'outflow' },
    }
    const warehouse = await openWarehouse(source)
    const { rows } = await warehouse.run({ sql: 'select 41 + 1 as answer' })
    expect(rows).toEqual([{ answer: 42 }])
    await warehouse.close()
    await expect(warehouse.run({ sql: 'select 1' })).rejects.toThrow('source "local": used after it was closed')
  })

  it('names the missing variable of a credential, and nothing else', async () => {
    const source: SourceSpec = {
      ...meta,
      kind: 'Source',
      name: 'pg',
      connection: { type: 'postgres', url: { env: 'NO_SUCH_URL_VARIABLE' }, ssl: 'disable', stateSchema: 'outflow' },
    }
    await expect(openWarehouse(source, {})).rejects.toMatchObject({
      code: 'CREDENTIAL_MISSING',
      message: 'source "pg" url: environment variable NO_SUCH_URL_VARIABLE is not set',
    })
  })

  it('reports an unreachable server as WAREHOUSE_CONNECTION_FAILED, naming the source and never the password', async () => {
    const password = 'hunter2-planted-secret'
    const source: SourceSpec = {
      ...meta,
      kind: 'Source',
      name: 'pg',
      connection: { type: 'postgres', url: { secret: 'PG_URL' }, ssl: 'disable', stateSchema: 'outflow' },
    }
    const error = await openWarehouse(source, { PG_URL: `postgres://outflow:${password}@127.0.0.1:1/db` }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'WAREHOUSE_CONNECTION_FAILED', retryable: true })
    expect((error as Error).message).toMatch(/^source "pg" \(postgres\): cannot connect: /)
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(password)
    expect((error as Error).cause).toBeUndefined()
  })
})

describe('redactSecrets', () => {
  it('replaces secrets and their URL-encoded forms', () => {
    expect(redactSecrets('login p@ss/word failed for postgres://u:p%40ss%2Fword@h', ['p@ss/word'])).toBe(
      'login *** failed for postgres://u:***@h',
    )
  })
})
