import { randomBytes } from 'node:crypto'

import { normalizeSync } from '../../src/spec/normalize.js'
import type { SyncDocument } from '../../src/model/spec-document-types.generated.js'
import type { SyncSpec } from '../../src/model/spec-types.js'
import type { Resend } from '../../src/warehouse/diff/resend.js'
import type { WarehouseAdapter } from '../../src/warehouse/warehouse-adapter.js'

/** A model row of the test table `people`. */
export interface Person {
  id: number | null
  email: string
  plan: string | null
  score: number
}

/** A schema of its own for one test: holds its model table and its Outflow state. */
export function uniqueSchema(): string {
  return `t_${randomBytes(5).toString('hex')}`
}

/** Creates `<schema>.people` and fills it. */
export async function createPeople(adapter: WarehouseAdapter, schema: string, people: readonly Person[]): Promise<void> {
  const t = adapter.dialect.types
  await adapter.run({ sql: `create schema if not exists ${schema}` })
  await adapter.run({ sql: `create table ${schema}.people (id ${t.integer}, email ${t.text}, plan ${t.text}, score ${t.bigint})` })
  await insertPeople(adapter, schema, people)
}

/** Adds rows to `<schema>.people`. */
export async function insertPeople(adapter: WarehouseAdapter, schema: string, people: readonly Person[]): Promise<void> {
  for (let i = 0; i < people.length; i += 500) {
    const chunk = people.slice(i, i + 500)
    await adapter.run({
      sql: `insert into ${schema}.people (id, email, plan, score) values ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
      params: chunk.flatMap((p) => [p.id, p.email, p.plan, p.score]),
    })
  }
}

/** `count` people with ids from 1. */
export function people(count: number, plan = 'free'): Person[] {
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, email: `user${i + 1}@example.com`, plan, score: i }))
}

/** A Braze user sync of `<schema>.people` keyed by id, mapping email, plan and score. */
export function peopleSync(schema: string, overrides: Partial<SyncDocument['spec']> = {}, name = 'people-sync'): SyncSpec {
  const document: SyncDocument = {
    apiVersion: 'outflow/v1',
    kind: 'Sync',
    metadata: { name },
    spec: {
      source: 'warehouse',
      model: { table: `${schema}.people` },
      destination: 'braze',
      object: 'user',
      behavior: 'mirror',
      key: { column: 'id' },
      mappings: [{ column: 'email' }, { column: 'plan' }, { column: 'score', type: 'number' }],
      ...overrides,
    },
  }
  return normalizeSync(document, { file: 'test.yaml', line: 1 }, 'braze')
}

/** What a simulated delivery saw. */
export interface DeliveredChanges {
  fullResync: boolean
  added: string[]
  changed: string[]
  removed: string[]
  rejected: { key: string; reason: string }[]
  /** With the resend of some keys: those no model row has. */
  missingKeys: string[]
}

/**
 * Runs the diff and pretends the destination accepted the rows `accept` says yes to (all by
 * default): records them and merges the snapshot, as the runner does. With `crashBeforeMerge`
 * it stops after recording, as a runner killed mid-run would. With `resend`, the diff sends those
 * rows again and the snapshot records them as owed, as the runner does.
 */
export async function deliver(
  adapter: WarehouseAdapter,
  schema: string,
  sync: SyncSpec,
  options: { accept?: (key: string) => boolean; crashBeforeMerge?: boolean; batchSize?: number; resend?: Resend; streamed?: boolean } = {},
): Promise<DeliveredChanges> {
  const { computeDiff } = await import('../../src/warehouse/diff/compute-diff.js')
  const { recordAccepted, applyPending } = await import('../../src/warehouse/state/snapshot.js')
  const { markForResend } = await import('../../src/warehouse/state/resend-marks.js')
  const changes = await computeDiff(adapter, schema, sync, options.resend, { streamed: options.streamed === true })
  if (options.resend !== undefined) await markForResend(adapter, schema, sync.name, options.resend)
  const seen: DeliveredChanges = {
    fullResync: changes.fullResync,
    added: [],
    changed: [],
    removed: [],
    rejected: [],
    missingKeys: changes.missingKeys,
  }
  for await (const batch of changes.rows(options.batchSize ?? 100)) {
    for (const row of batch) seen[row.op].push(row.key)
    const accepted = batch.filter((row) => options.accept?.(row.key) ?? true)
    const records = accepted.map((row) => ({
      key: row.key,
      hash: row.hash,
      op: row.op === 'removed' ? ('delete' as const) : ('upsert' as const),
    }))
    await recordAccepted(adapter, schema, sync.name, records, 'test-run')
  }
  for await (const batch of changes.rejections(100)) seen.rejected.push(...batch)
  if (!options.crashBeforeMerge) await applyPending(adapter, schema, sync.name, changes.specHash)
  for (const list of [seen.added, seen.changed, seen.removed]) list.sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))
  return seen
}
