import type { dynamic } from '@pulumi/pulumi'

import type { ConnectionInputs, ConnectionOutputs } from './connection-types.js'
import { sameJson, sameSpec } from './plain-json.js'
import { containsUnknown, UNKNOWN_VALUE } from './unknown-value.js'

/**
 * `diff` of a `DestinationConnection`: `olds` are the outputs in state (refreshed ones in a drift
 * check), `news` the checked inputs. It changes when the spec (wherever it is written), the syncs'
 * needs or the credentials change, and when a refresh found the credentials refused or prepared
 * objects missing, so that `pulumi up` checks and prepares again. A new destination type is
 * another vendor: a replacement. `__provider` is ignored: new provider code is no change.
 */
export function diffConnection(_id: string, olds: Partial<ConnectionOutputs>, news: ConnectionInputs): dynamic.DiffResult {
  const oldType = olds.destination?.connection.type
  const newType: unknown = containsUnknown(news.destination) ? UNKNOWN_VALUE : news.destination.connection.type
  const replaces = oldType !== undefined && newType !== oldType ? ['destination.connection.type'] : []
  const changes =
    replaces.length > 0 ||
    containsUnknown(news) ||
    !sameSpec(olds.destination, news.destination) ||
    !sameJson(olds.prepare ?? {}, news.prepare) ||
    !sameJson(olds.credentials ?? {}, news.credentials) ||
    olds.verified === false ||
    (olds.missing ?? []).length > 0
  return { changes, replaces }
}
