import type { dynamic } from '@pulumi/pulumi'

import { createConnector } from '../../../providers/connectors.js'
import type { DestinationConnector, PrepareRequest, RequestGate } from '../../destinations/destination.js'
import { createRequestGate } from '../../engine/request-gate.js'
import { OutflowError } from '../../errors.js'
import { applyCredentials } from './apply-credentials.js'
import type { ConnectionInputs, ConnectionOutputs } from './connection-types.js'
import { credentialReferences, describeReference } from './credential-references.js'
import { plainJson } from './plain-json.js'
import { providerError } from './provider-error.js'

/** A connector for the connection's destination, its request gate, and the credential values to keep out of messages. */
interface OpenConnection {
  where: string
  connector: DestinationConnector
  gate: RequestGate
  secrets: string[]
}

/**
 * `create` of a `DestinationConnection`: checks the credentials with the vendor, then prepares what
 * each sync needs (Loops custom properties, Courier lists). The id is the destination's name.
 * Fails, naming the destination and the config secret to check, when the vendor refuses the
 * credentials.
 */
export async function createConnection(inputs: ConnectionInputs): Promise<dynamic.CreateResult<ConnectionOutputs>> {
  return { id: inputs.destination.name, outs: await apply(inputs) }
}

/** `update` of a `DestinationConnection`: checks and prepares again, as `create` does. */
export async function updateConnection(
  _id: string,
  _olds: ConnectionOutputs,
  news: ConnectionInputs,
): Promise<dynamic.UpdateResult<ConnectionOutputs>> {
  return { outs: await apply(news) }
}

/**
 * `read` of a `DestinationConnection` (refresh): checks the credentials in state and lists what
 * preparation would have to create again. Refused credentials are reported (`verified: false`)
 * rather than thrown, so that a drift check shows them; an unreachable vendor fails the refresh.
 */
export async function readConnection(id: string, props: ConnectionOutputs): Promise<dynamic.ReadResult<ConnectionOutputs>> {
  const inputs = pickInputs(props)
  const open = await openConnection(inputs)
  try {
    const result = await open.connector.check(open.gate)
    if (!result.ok && result.code === 'DESTINATION_UNAVAILABLE') throw new OutflowError(result.code, result.message, { retryable: true })
    // The status written at apply stays while the credentials pass: the check's detail (a count of
    // lists, say) changes as the destination is used, and would read like drift in every refresh.
    const status = result.ok ? props.status : result.message
    const missing = result.ok ? await missingObjects(open, inputs.prepare) : []
    const outs = plainJson({ ...inputs, verified: result.ok, status, prepared: props.prepared, missing })
    // `ReadResult` types `inputs` as outputs, but Pulumi stores them as the resource's inputs.
    return { id, props: outs, inputs: plainJson(inputs) as ConnectionOutputs }
  } catch (error) {
    throw providerError(open.where, error, open.secrets)
  }
}

/**
 * `delete` of a `DestinationConnection`: nothing to do at the vendor. The properties and lists it
 * prepared hold the destination's data (contacts' values, subscriptions), which Outflow never
 * removes; deleting is therefore idempotent.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the signature stored providers call
export function deleteConnection(_id: string, _props: ConnectionOutputs): Promise<void> {
  return Promise.resolve()
}

async function apply(inputs: ConnectionInputs): Promise<ConnectionOutputs> {
  const open = await openConnection(inputs)
  try {
    const result = await open.connector.check(open.gate)
    if (!result.ok) throw refused(inputs, result.code, result.message)
    const prepared = await prepareAll(open, inputs.prepare)
    return plainJson({ ...pickInputs(inputs), verified: true, status: result.detail, prepared, missing: [] })
  } catch (error) {
    throw providerError(open.where, error, open.secrets)
  }
}

async function openConnection(inputs: ConnectionInputs): Promise<OpenConnection> {
  const { name, connection } = inputs.destination
  const where = `destination "${name}"`
  try {
    const credentials = applyCredentials(where, connection, inputs.credentials)
    const connector = await createConnector({ name, connection, credentials: credentials.source })
    return { where, connector, gate: createRequestGate(connector.rateLimits), secrets: credentials.values }
  } catch (error) {
    throw providerError(where, error, Object.values(inputs.credentials))
  }
}

async function prepareAll(open: OpenConnection, requests: Readonly<Record<string, PrepareRequest>>): Promise<string[]> {
  const prepared = new Set<string>()
  for (const [sync, request] of sortedEntries(requests)) {
    try {
      const result = await open.connector.prepare(request, open.gate)
      for (const item of [...result.created, ...result.existing]) prepared.add(item)
    } catch (error) {
      throw providerError(open.where, error, open.secrets, ` (preparing sync "${sync}")`)
    }
  }
  return [...prepared].sort()
}

async function missingObjects(open: OpenConnection, requests: Readonly<Record<string, PrepareRequest>>): Promise<string[]> {
  const missing = new Set<string>()
  for (const [, request] of sortedEntries(requests)) for (const item of await open.connector.missing(request, open.gate)) missing.add(item)
  return [...missing].sort()
}

/** The error for credentials the vendor refused: says which config secret or variable to check. */
function refused(inputs: ConnectionInputs, code: OutflowError['code'], message: string): OutflowError {
  const references = credentialReferences(inputs.destination.connection).map((use) => describeReference(use.reference))
  const hint = code === 'DESTINATION_AUTH' && references.length > 0 ? `; check ${references.join(' and ')}` : ''
  return new OutflowError(code, `${message}${hint}`, { retryable: code === 'DESTINATION_UNAVAILABLE' })
}

/** The input properties of a state, defaulted: a state may come from a release that lacked one. */
function pickInputs(inputs: Partial<ConnectionInputs> & Pick<ConnectionInputs, 'destination'>): ConnectionInputs {
  return { destination: inputs.destination, prepare: inputs.prepare ?? {}, credentials: inputs.credentials ?? {} }
}

function sortedEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}
