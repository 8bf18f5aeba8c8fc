import type { dynamic } from '@pulumi/pulumi'

import { DESTINATION_CATALOGS, findObjectDescriptor } from '../../../providers/registry.js'
import type { DestinationType } from '../../destinations/destination-catalog.js'
import { isRecord } from '../../util/is-record.js'
import { CheckFailures } from './check-helpers.js'
import type { ConnectionInputs } from './connection-types.js'
import { plainJson } from './plain-json.js'
import { UNKNOWN_VALUE } from './unknown-value.js'

const TYPES = Object.keys(DESTINATION_CATALOGS) as readonly DestinationType[]

/**
 * `check` of a `DestinationConnection`: the destination is a `Destination` spec of a known type,
 * each prepare request names an object the destination has, and credentials are strings. Values
 * not known yet (previews) pass.
 */
export function checkConnection(_olds: unknown, news: unknown): dynamic.CheckResult<ConnectionInputs> {
  const failures = new CheckFailures()
  const inputs = isRecord(news) ? news : {}
  const destination = inputs['destination']
  let type: DestinationType | undefined
  if (failures.spec('destination', destination, 'Destination')) {
    const connection = destination['connection']
    const found = isRecord(connection) ? TYPES.find((t) => t === connection['type']) : undefined
    if (found === undefined)
      failures.add('destination', `destination "${destination.name}": expected a connection of type ${TYPES.join(', ')}`)
    type = found
  }
  checkPrepare(failures, inputs['prepare'], type)
  failures.stringMap('credentials', inputs['credentials'])
  const checked = plainJson({ destination, prepare: inputs['prepare'] ?? {}, credentials: inputs['credentials'] ?? {} })
  return { inputs: checked as ConnectionInputs, failures: failures.list }
}

function checkPrepare(failures: CheckFailures, prepare: unknown, type: DestinationType | undefined): void {
  if (prepare === undefined || prepare === UNKNOWN_VALUE) return
  if (!isRecord(prepare)) {
    failures.add('prepare', 'expected a map of sync names to prepare requests')
    return
  }
  for (const [sync, request] of Object.entries(prepare)) {
    if (request === UNKNOWN_VALUE) continue
    const object = isRecord(request) ? request['object'] : undefined
    if (typeof object !== 'string' || !isRecord(isRecord(request) ? request['fields'] : undefined)) {
      failures.add(`prepare.${sync}`, `sync "${sync}": expected a prepare request with an object and its fields`)
    } else if (type !== undefined && findObjectDescriptor(type, object) === undefined) {
      failures.add(`prepare.${sync}`, `sync "${sync}": a ${type} destination has no object "${object}"`)
    }
  }
}
