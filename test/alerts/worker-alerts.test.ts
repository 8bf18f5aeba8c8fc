import { afterAll, beforeAll, expect, it } from 'vitest'

import type { AlertWarning } from '../../src/alerts/alert-warning.js'
import { runnablesOf } from '../../src/engine/runnable-sync.js'
import { pendingResult } from '../../src/engine/sync-run-result.js'
import { WorkerResources } from '../../src/temporal/worker-resources.js'
import { checkSpecs } from '../helpers/check-specs.js'
import { closedUrl, startAlertReceiver, type AlertReceiver } from './alert-receiver.js'

/*
 * A run on Temporal workers ends in an activity (`endRun`, or `beginRun` when there was nothing to
 * deliver), which sends the run's alerts through the worker's resources, with the worker's
 * environment and log: the same alerts a local run sends.
 */

let receiver: AlertReceiver

beforeAll(async () => {
  receiver = await startAlertReceiver()
})
afterAll(() => receiver.stop())

const SPECS = `apiVersion: outflow/v1
kind: Source
metadata: { name: warehouse }
spec: { type: duckdb }
---
apiVersion: outflow/v1
kind: Destination
metadata: { name: braze }
spec: { type: braze, restEndpoint: "https://rest.iad-01.braze.com", apiKey: { secret: BRAZE_API_KEY } }
---
apiVersion: outflow/v1
kind: Sync
metadata: { name: braze-users }
spec: { source: warehouse, model: { table: users }, destination: braze, object: user, behavior: upsert, key: { column: id } }
---
apiVersion: outflow/v1
kind: Alert
metadata: { name: ops-webhook }
spec: { channel: webhook, url: { env: HOOK_URL }, on: [failed], syncs: all }
`

function failedRun() {
  const specs = checkSpecs({ 'specs.yaml': SPECS }).value
  const [runnable] = specs === undefined ? [] : runnablesOf(specs)
  if (runnable === undefined) throw new Error('fixture')
  const result = { ...pendingResult(runnable.sync), runId: 'run-7', error: { code: 'DESTINATION_AUTH' as const, message: 'refused' } }
  return { runnable, result }
}

it('sends the alerts of a run that ended on a worker', async () => {
  const resources = new WorkerResources({ credentials: { HOOK_URL: `${receiver.url}/hook` } })
  try {
    const { runnable, result } = failedRun()
    await resources.alertRunEnd(runnable, result)
  } finally {
    await resources.close()
  }
  expect(receiver.received.map((r) => r.json)).toMatchObject([{ event: 'failed', sync: 'braze-users', runId: 'run-7', status: 'failed' }])
})

it("reports an alert it could not send to the worker's log, never failing the activity", async () => {
  const warnings: AlertWarning[] = []
  const resources = new WorkerResources({
    credentials: { HOOK_URL: `${await closedUrl()}/hook` },
    onAlertWarning: (warning) => warnings.push(warning),
  })
  try {
    const { runnable, result } = failedRun()
    await resources.alertRunEnd(runnable, result)
  } finally {
    await resources.close()
  }
  expect(warnings).toEqual([
    {
      alert: 'ops-webhook',
      sync: 'braze-users',
      event: 'failed',
      message: 'alert "ops-webhook" (webhook) for sync "braze-users" (failed): not delivered: no answer (ECONNREFUSED) after 4 tries',
    },
  ])
})
