import { isRecord } from '../../../src/util/is-record.js'
import { BRAZE_MESSAGES } from './braze-errors.js'
import type { BrazeState, BrazeUser, BrazeUserAlias } from './braze-state.js'

/** How a track object names its user. */
export type BrazeIdentity =
  | { kind: 'external_id'; value: string; updateExistingOnly: boolean }
  | { kind: 'user_alias'; alias: BrazeUserAlias; updateExistingOnly: boolean }
  | { kind: 'braze_id'; value: string }
  | { kind: 'email' | 'phone'; value: string; updateExistingOnly: boolean }

/**
 * Reads a track object's identifier, in Braze's order: `external_id`, `user_alias`, `braze_id`,
 * then `email` before `phone` (reference section 2.3). `_update_existing_only` defaults to true
 * only for aliases. Returns an error type for the object's entry in `errors`.
 */
export function readIdentity(object: Record<string, unknown>): BrazeIdentity | { error: string } {
  const explicit = object['_update_existing_only']
  const existingOnly = (fallback: boolean) => (typeof explicit === 'boolean' ? explicit : fallback)
  const externalId = object['external_id']
  if (typeof externalId === 'string' && externalId !== '')
    return { kind: 'external_id', value: externalId, updateExistingOnly: existingOnly(false) }
  if (object['user_alias'] !== undefined) {
    const alias = readAlias(object['user_alias'])
    return alias === undefined
      ? { error: "'user_alias' is not valid" }
      : { kind: 'user_alias', alias, updateExistingOnly: existingOnly(true) }
  }
  const brazeId = object['braze_id']
  if (typeof brazeId === 'string' && brazeId !== '') return { kind: 'braze_id', value: brazeId }
  for (const kind of ['email', 'phone'] as const) {
    const value = object[kind]
    if (typeof value !== 'string' || value === '') continue
    if (kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return { error: "'email' is not valid" }
    return { kind, value, updateExistingOnly: existingOnly(false) }
  }
  return { error: BRAZE_MESSAGES.identifierRequired }
}

/**
 * The identified user, created when missing unless `_update_existing_only` says otherwise; an
 * email or phone creates an email-only (or phone-only) profile. `undefined` means "skip": Braze
 * accepts the object and drops it later, as it processes asynchronously.
 */
export function findOrCreateUser(state: BrazeState, identity: BrazeIdentity, nowIso: string): BrazeUser | undefined {
  if (identity.kind === 'braze_id') return state.byBrazeId(identity.value)
  const existing =
    identity.kind === 'external_id'
      ? state.byExternalId(identity.value)
      : identity.kind === 'user_alias'
        ? state.byAlias(identity.alias)
        : state.byContact(identity.kind, identity.value)
  if (existing !== undefined || identity.updateExistingOnly) return existing
  if (identity.kind === 'external_id') return state.create(nowIso, { external_id: identity.value })
  if (identity.kind === 'user_alias') return state.create(nowIso, { alias: identity.alias })
  const user = state.create(nowIso, {})
  state.setContact(user, identity.kind, identity.value)
  return user
}

function readAlias(value: unknown): BrazeUserAlias | undefined {
  if (!isRecord(value)) return undefined
  const { alias_name: name, alias_label: label } = value
  return typeof name === 'string' && name !== '' && typeof label === 'string' && label !== ''
    ? { alias_name: name, alias_label: label }
    : undefined
}
