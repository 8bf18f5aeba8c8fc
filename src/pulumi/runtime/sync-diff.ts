import type { dynamic } from '@pulumi/pulumi'

import { isRecord } from '../../util/is-record.js'
import { sameJson, sameSpec } from './plain-json.js'
import type { SyncInputs, SyncOutputs } from './sync-types.js'
import { containsUnknown } from './unknown-value.js'

/**
 * What identifies what a sync writes: where (destination), what (object) and which record (key),
 * and the sync's name, under which it is registered. A change to any of them is another sync.
 */
const IDENTITY = ['name', 'destination', 'object', 'key'] as const

/**
 * `diff` of a `Sync`: `olds` are the outputs in state (what the state store held, after a
 * refresh), `news` the checked inputs. It changes when the sync, its destination or source spec
 * (wherever they are written), the credentials or the connection change. A new `specHash` is what
 * the preview shows for a change that makes the next run resync every row. A new identity is a
 * replacement, deleted first: the old registration must be gone before the new one takes its
 * name. `__provider` is ignored: new provider code is no change.
 */
export function diffSync(_id: string, olds: Partial<SyncOutputs>, news: SyncInputs): dynamic.DiffResult {
  const replaces = identityChanges(olds.sync, news.sync)
  const changes =
    replaces.length > 0 ||
    containsUnknown(news) ||
    !sameSpec(olds.sync, news.sync) ||
    !sameSpec(olds.destination, news.destination) ||
    !sameSpec(olds.source, news.source) ||
    olds.specHash !== news.specHash ||
    !sameJson(olds.credentials ?? {}, news.credentials) ||
    (olds.connectionId ?? null) !== (news.connectionId ?? null) ||
    !sameJson(olds.temporal ?? null, news.temporal ?? null)
  return { changes, replaces, deleteBeforeReplace: replaces.length > 0 }
}

/** The identity properties that differ (or are not known yet), as property paths (`sync.object`). */
function identityChanges(olds: unknown, news: unknown): string[] {
  if (!isRecord(olds)) return []
  // A sync not known yet at all (the unknown value in a preview) has every identity unknown.
  return IDENTITY.filter((key) => !sameJson(olds[key], isRecord(news) ? news[key] : news)).map((key) => `sync.${key}`)
}
