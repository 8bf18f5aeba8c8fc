import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { Client, Connection, ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { checkSync, createSync, deleteSync, updateSync } from '../../src/pulumi/runtime/index.js'
import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'
import { temporalAddress } from '../helpers/temporal-service.js'
import { TemporalWorkspace } from './temporal-workspace.js'

/*
 * A sync's cron or interval as a Temporal Schedule, kept with its registration: by
 * `outflow schedule --temporal-address`, and by the Pulumi provider's create, update and delete
 * (what `pulumi up` calls when the program gives a Temporal server).
 */

const POSTGRES = process.env['OUTFLOW_TEST_POSTGRES_URL']
const TEMPORAL = temporalAddress()
const skip = POSTGRES === undefined || TEMPORAL === undefined

let connection: Connection | undefined
let client: Client
let workspace: TemporalWorkspace | undefined

beforeAll(async () => {
  if (skip) return
  connection = await Connection.connect({ address: TEMPORAL })
  client = new Client({ connection })
})
afterAll(async () => {
  await connection?.close()
})
afterEach(async () => {
  for (const id of ['outflow/warehouse/braze-users', 'outflow/warehouse/braze-users-b']) {
    await client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined)
  }
  await workspace?.close()
  workspace = undefined
})

async function schedule(id: string): Promise<ScheduleDescription | undefined> {
  try {
    return await client.schedule.getHandle(id).describe()
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined
    throw error
  }
}

/** Rewrites a sync's file with `schedule` (YAML flow text; none for a manual sync). */
async function setSchedule(ws: TemporalWorkspace, sync: string, table: string, scheduleYaml: string | undefined): Promise<void> {
  const when = scheduleYaml === undefined ? '' : ` schedule: ${scheduleYaml},`
  await writeFile(
    join(ws.dir, `${sync}.yaml`),
    `apiVersion: outflow/v1\nkind: Sync\nmetadata: { name: ${sync} }\nspec: { source: warehouse, model: { table: ${table} }, destination: braze, object: user, behavior: mirror, maxDeletes: 100%,${when} key: { column: user_id, field: external_id }, mappings: [{ column: email }] }\n`,
  )
}

describe.skipIf(skip)('Temporal Schedules', { timeout: 120_000 }, () => {
  it('outflow schedule --temporal-address creates, updates and deletes them with the syncs, and a scheduled run delivers', async () => {
    const ws = (workspace = await TemporalWorkspace.create(POSTGRES ?? '', TEMPORAL ?? '', { users: 200, usersB: 100, rate: 50 }))
    await setSchedule(ws, 'braze-users', 'app.users', '{ interval: 2s }')
    await setSchedule(ws, 'braze-users-b', 'app.users_b', "{ cron: '0 6 * * 1', timezone: Europe/Paris }")
    const reconcile = () => ws.cli('schedule', '--from-dir', ws.dir, ...ws.temporalArgs, '--json')
    const changes = async () => {
      const exit = await reconcile()
      expect(exit.code, exit.stderr).toBe(0)
      const doc = JSON.parse(exit.stdout) as {
        version: number
        command: string
        address: string
        schedules: { sync: string; change: string }[]
      }
      expect(doc).toMatchObject({ version: 1, command: 'schedule', address: expect.any(String) as unknown })
      return doc.schedules
    }
    expect(await changes()).toEqual([
      { sync: 'braze-users', scheduleId: 'outflow/warehouse/braze-users', change: 'created' },
      { sync: 'braze-users-b', scheduleId: 'outflow/warehouse/braze-users-b', change: 'created' },
    ])
    const weekly = await schedule('outflow/warehouse/braze-users-b')
    expect(weekly?.spec.timezone).toBe('Europe/Paris')
    expect(weekly?.policies.overlap).toBe('SKIP')
    expect(weekly?.action).toMatchObject({ type: 'startWorkflow', workflowType: 'syncRunWorkflow', taskQueue: ws.taskQueue })

    // The 2-second schedule starts runs on a worker: the users arrive with nobody calling `outflow run`.
    await ws.startWorker()
    const deadline = Date.now() + 60_000
    while (ws.brazeUsers('u').length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250))
    expect(ws.brazeUsers('u')).toEqual((await ws.modelUsers('users')).map((u) => u.replace(/\|\d+$/, '|undefined')))

    // Unchanged specs change nothing; a changed interval updates; a manual sync and a removed sync lose theirs.
    expect((await changes()).map((c) => c.change)).toEqual(['unchanged', 'unchanged'])
    await setSchedule(ws, 'braze-users', 'app.users', '{ interval: 1h }')
    expect((await changes()).map((c) => c.change)).toEqual(['updated', 'unchanged'])
    expect((await schedule('outflow/warehouse/braze-users'))?.spec.intervals).toMatchObject([{ every: 3_600_000 }])
    await setSchedule(ws, 'braze-users-b', 'app.users_b', undefined)
    expect(await changes()).toEqual([
      { sync: 'braze-users', scheduleId: 'outflow/warehouse/braze-users', change: 'unchanged' },
      { sync: 'braze-users-b', scheduleId: 'outflow/warehouse/braze-users-b', change: 'deleted' },
    ])
    expect(await schedule('outflow/warehouse/braze-users-b')).toBeUndefined()
  })

  it('the Pulumi provider creates, updates and deletes a Schedule with the registration', async () => {
    const ws = (workspace = await TemporalWorkspace.create(POSTGRES ?? '', TEMPORAL ?? '', { users: 10, rate: 50 }))
    await setSchedule(ws, 'braze-users', 'app.users', '{ interval: 15m }')
    process.env['TW_PG_URL'] = ws.sandbox.adminUrl
    try {
      const specs = await loadValidSpecs(ws.dir)
      const inputs = (interval: string) => {
        const sync = specs.syncs[0]!
        const changed = { ...sync, schedule: { kind: 'interval' as const, interval, seconds: interval === '15m' ? 900 : 3600 } }
        const checked = checkSync(
          {},
          {
            sync: changed,
            destination: specs.destinations[0],
            source: specs.sources[0],
            credentials: {},
            connectionId: 'braze',
            temporal: { address: TEMPORAL, taskQueue: ws.taskQueue },
          },
        )
        expect(checked.failures).toEqual([])
        return checked.inputs!
      }
      const created = await createSync(inputs('15m'))
      expect((await schedule('outflow/warehouse/braze-users'))?.spec.intervals).toMatchObject([{ every: 900_000 }])
      const updated = await updateSync(created.id, created.outs!, inputs('1h'))
      expect((await schedule('outflow/warehouse/braze-users'))?.spec.intervals).toMatchObject([{ every: 3_600_000 }])
      await deleteSync(created.id, updated.outs!)
      expect(await schedule('outflow/warehouse/braze-users')).toBeUndefined()
    } finally {
      delete process.env['TW_PG_URL']
    }
  })
})
