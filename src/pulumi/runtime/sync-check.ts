import type { dynamic } from '@pulumi/pulumi'

import { isRecord } from '../../util/is-record.js'
import { syncSpecHash } from '../../spec/spec-hash.js'
import type { SyncSpec } from '../../model/spec-types.js'
import { CheckFailures } from './check-helpers.js'
import { plainJson } from './plain-json.js'
import type { SyncInputs } from './sync-types.js'
import { containsUnknown, UNKNOWN_VALUE } from './unknown-value.js'

/**
 * `check` of a `Sync`: the sync, destination and source are specs of their kinds, the sync names
 * that destination and source, and credentials are strings. `specHash` is computed here from the
 * sync, whatever the program passed, so that state always holds the hash of the spec it holds.
 * Values not known yet (previews) pass.
 */
export function checkSync(_olds: unknown, news: unknown): dynamic.CheckResult<SyncInputs> {
  const failures = new CheckFailures()
  const inputs = isRecord(news) ? news : {}
  const { sync, destination, source } = inputs
  const syncOk = failures.spec('sync', sync, 'Sync')
  if (failures.spec('destination', destination, 'Destination') && syncOk) {
    sameName(failures, 'destination', sync, destination.name)
  }
  if (failures.spec('source', source, 'Source') && syncOk) {
    sameName(failures, 'source', sync, source.name)
    const connection = source['connection']
    if (!isRecord(connection) || typeof connection['stateSchema'] !== 'string') {
      failures.add('source', `source "${source.name}": expected a connection with its stateSchema (loadValidSpecs applies the default)`)
    }
  }
  failures.stringMap('credentials', inputs['credentials'])
  const connectionId = inputs['connectionId']
  if (connectionId !== undefined && typeof connectionId !== 'string') failures.add('connectionId', 'expected a string')
  const temporal = inputs['temporal']
  if (temporal !== undefined && (!isRecord(temporal) || typeof temporal['address'] !== 'string' || temporal['address'] === '')) {
    failures.add('temporal', 'expected { address: "host:port", namespace?, taskQueue? }')
  }
  const plainSync = plainJson(sync)
  const specHash = syncOk && !containsUnknown(plainSync) ? syncSpecHash(plainSync as SyncSpec) : UNKNOWN_VALUE
  const checked = plainJson({
    sync,
    destination,
    source,
    credentials: inputs['credentials'] ?? {},
    connectionId,
    specHash,
    ...(temporal === undefined ? {} : { temporal }),
  })
  return { inputs: checked as SyncInputs, failures: failures.list }
}

function sameName(failures: CheckFailures, property: 'destination' | 'source', sync: Record<string, unknown>, name: string): void {
  const named = sync[property]
  if (named !== UNKNOWN_VALUE && named !== name) {
    failures.add(property, `sync "${String(sync['name'])}" names ${property} "${String(named)}", but the ${property} given is "${name}"`)
  }
}
