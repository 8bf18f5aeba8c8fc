import type { BrazeEmulator, CleverTapEmulator, CourierEmulator, LoopsEmulator } from '../../providers/emulators.js'
import type { MatrixCase } from './matrix-cases.js'

/** The four emulators a matrix run writes to. */
export interface MatrixEmulators {
  loops: LoopsEmulator
  braze: BrazeEmulator
  clevertap: CleverTapEmulator
  courier: CourierEmulator
}

/** A record's fields as the destination holds them, by field name. */
export type Fields = Record<string, unknown>

/** One record (or event) the destination holds, with the sync key it belongs to. */
export interface HeldRecord {
  key: string
  fields: Fields
}

/**
 * What the destination holds for a case, read from its emulator's state: the records the sync
 * manages (contacts, users, profiles; for a Courier list, its members with their profiles), or
 * the events it received. Each is tagged with its sync key, as the destination spells it.
 */
export function readHeld(emulators: MatrixEmulators, matrixCase: MatrixCase): HeldRecord[] {
  const { destination, object } = matrixCase
  if (destination === 'loops') return emulators.loops.state().contacts.map((contact) => held(contact[matrixCase.keyField ?? ''], contact))
  if (destination === 'braze') {
    const state = emulators.braze.state()
    if (object === 'event') {
      return state.events.map((event) => held(event.external_id, { ...event.properties, external_id: event.external_id, name: event.name }))
    }
    return state.users.map((user) => held(user.external_id, { ...user.attributes, ...user.custom_attributes }))
  }
  if (destination === 'clevertap') {
    const state = emulators.clevertap.state()
    if (object === 'event') {
      return state.events.map((event) =>
        held(event.identifiers.identity, { ...event.evtData, ...event.identifiers, evtName: event.evtName }),
      )
    }
    return state.profiles.map((profile) => held(profile.identifiers.identity, profile.profileData))
  }
  const state = emulators.courier.state()
  const listId = object === 'profileWithList' ? listOption(matrixCase) : undefined
  if (listId === undefined) return Object.entries(state.profiles).map(([id, stored]) => held(id, stored.profile))
  return (state.subscriptions[listId] ?? []).map((member) => held(member.recipientId, state.profiles[member.recipientId]?.profile ?? {}))
}

function held(key: unknown, fields: Fields): HeldRecord {
  return { key: typeof key === 'string' ? key : JSON.stringify(key ?? null), fields }
}

function listOption(matrixCase: MatrixCase): string | undefined {
  return /id: ([\w.-]+)/.exec(matrixCase.options?.['list'] ?? '')?.[1]
}

/**
 * Creates the records an `update` case starts from, through the vendor's own API, and returns
 * their mapped fields by key. Only Braze users take `update`; any other case gets none.
 */
export async function writeExisting(emulators: MatrixEmulators, matrixCase: MatrixCase, apiKey: string): Promise<Map<string, Fields>> {
  const existing = new Map<string, Fields>()
  if (matrixCase.existing === undefined) return existing
  if (matrixCase.destination !== 'braze') throw new Error(`no way to write existing records to ${matrixCase.destination}`)
  for (const key of matrixCase.existing) {
    existing.set(
      key,
      Object.fromEntries(matrixCase.fields.map(({ field, type }) => [field, type === 'number' ? 0 : `existing-${key}@example.com`])),
    )
  }
  const attributes = [...existing].map(([key, fields]) => ({ external_id: key, ...fields }))
  const response = await fetch(`${emulators.braze.url}/users/track`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ attributes }),
  })
  if (response.status !== 201) throw new Error(`writing existing Braze users: HTTP ${response.status} ${await response.text()}`)
  return existing
}
