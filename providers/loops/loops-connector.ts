import type { ConnectorFactory, RecordResult } from '../../src/destinations/destination.js'
import { defineConnector } from '../../src/destinations/define-connector.js'
import { isRecord } from '../../src/util/is-record.js'
import { LOOPS_ANSWERS } from './loops-answers.js'
import { loopsCatalog } from './loops-catalog.js'
import { testApiKey, buildLoopsClient } from './loops-client.js'
import { deliverContact, type LoopsContactDelivery } from './loops-contact-delivery.js'
import { LOOPS_CONTACT_BATCH_SIZE, LOOPS_CONTACT_CONCURRENCY, LOOPS_RATE_LIMIT, LOOPS_REQUEST_GROUP } from './loops-limits.js'
import { loopsErrors } from './loops-outcome.js'
import { applyPropertyPlan, describeMissing, planCustomProperties } from './loops-prepare.js'

/**
 * Builds the Loops connector: contacts by email or userId, upserted (created first when new, so
 * mirror knows what it created), with optional mailing lists and a trigger event, and deleted by
 * mirror only when this sync created them. Contacts go one a request (Loops has no batch
 * endpoint), so the engine's `concurrency` deliver calls are what run in parallel.
 *
 * @example
 * ```ts
 * const loops = createLoopsConnector({ name: 'loops', connection: { type: 'loops', apiKey: { env: 'LOOPS_API_KEY' } } })
 * const gate = createRequestGate(loops.rateLimits)
 * const results = await loops.deliver(batch, gate)
 * ```
 */
export const createLoopsConnector: ConnectorFactory = defineConnector({
  type: 'loops',
  catalog: loopsCatalog,
  rateLimits: [LOOPS_RATE_LIMIT],
  unlimitedGroups: [],
  errors: loopsErrors,
  ops: { contact: ['upsert', 'delete'] },
  limits: () => ({
    batchSize: LOOPS_CONTACT_BATCH_SIZE,
    concurrency: LOOPS_CONTACT_CONCURRENCY,
    requestsPerBatch: { [LOOPS_REQUEST_GROUP]: 1 },
  }),
  client: buildLoopsClient,
  /**
   * Records this connector created whose delivery then failed, by sync and key (see
   * `LoopsContactDelivery.createdPending`).
   */
  state: () => ({ createdPending: new Set<string>() }),
  // `GET /v1/api-key`, Loops' own credentials test (section 1.2); the detail names the team.
  probe: { answer: LOOPS_ANSWERS.testApiKey, send: testApiKey, detail: (body) => `Loops team "${readTeamName(body)}"` },
  prepare: async (call, request) => applyPropertyPlan(call, await planCustomProperties(call, request)),
  missing: async (call, request) => describeMissing(await planCustomProperties(call, request)),
  deliver: async (call, _object, batch) => {
    const delivery: LoopsContactDelivery = {
      destination: call.destination,
      client: call.client,
      gate: call.gate,
      options: batch.options,
      keyField: batch.keyField,
      createdPending: call.state.createdPending,
      sync: call.sync,
    }
    const results: RecordResult[] = []
    for (const record of batch.records) results.push(await deliverContact(delivery, record))
    return results
  },
})

function readTeamName(body: unknown): string {
  return isRecord(body) && typeof body['teamName'] === 'string' ? body['teamName'] : 'unknown'
}
