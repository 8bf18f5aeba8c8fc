import { randomId } from '../../../src/emulators/random-id.js'

/** Types of Loops contact properties. */
export const LOOPS_PROPERTY_TYPES = ['string', 'number', 'boolean', 'date'] as const
export type LoopsPropertyType = (typeof LOOPS_PROPERTY_TYPES)[number]

/** A value a contact property holds. */
export type LoopsPropertyValue = string | number | boolean

/** A stored contact. */
export interface LoopsContact {
  id: string
  email: string
  firstName: string | null
  lastName: string | null
  source: string
  subscribed: boolean
  userGroup: string
  userId: string | null
  mailingLists: Record<string, true>
  /** Custom property values, by key. */
  properties: Record<string, LoopsPropertyValue>
}

/** A contact property, as `GET /v1/contacts/properties` lists it. */
export interface LoopsContactProperty {
  key: string
  label: string
  type: LoopsPropertyType
}

/** A mailing list, as `GET /v1/lists` lists it. */
export interface LoopsMailingList {
  id: string
  name: string
  description: string | null
  isPublic: boolean
}

/** A received event. */
export interface LoopsEvent {
  eventName: string
  contactId: string
  email: string
  userId: string | null
  eventProperties: Record<string, unknown>
  idempotencyKey: string | null
  receivedAt: string
}

/** Everything the Loops emulator stores, as `GET /_emulator/state` returns it. */
export interface LoopsStateSnapshot {
  /** Contacts as `GET /v1/contacts/find` returns them. */
  contacts: Record<string, unknown>[]
  customProperties: LoopsContactProperty[]
  mailingLists: LoopsMailingList[]
  events: LoopsEvent[]
}

/** The standard contact properties (loops.json `ContactFields`), which exist in every team. */
export const LOOPS_STANDARD_PROPERTIES: readonly LoopsContactProperty[] = [
  { key: 'email', label: 'Email', type: 'string' },
  { key: 'firstName', label: 'First Name', type: 'string' },
  { key: 'lastName', label: 'Last Name', type: 'string' },
  { key: 'source', label: 'Source', type: 'string' },
  { key: 'subscribed', label: 'Subscribed', type: 'boolean' },
  { key: 'userGroup', label: 'User Group', type: 'string' },
  { key: 'userId', label: 'User Id', type: 'string' },
]

/** The in-memory store of one Loops team. */
export class LoopsState {
  readonly contacts = new Map<string, LoopsContact>()
  readonly customProperties = new Map<string, LoopsContactProperty>()
  readonly mailingLists = new Map<string, LoopsMailingList>()
  readonly events: LoopsEvent[] = []

  /** Finds a contact by email, ignoring case as email addresses do. */
  byEmail(email: string): LoopsContact | undefined {
    const wanted = email.toLowerCase()
    for (const contact of this.contacts.values()) if (contact.email.toLowerCase() === wanted) return contact
    return undefined
  }

  byUserId(userId: string): LoopsContact | undefined {
    for (const contact of this.contacts.values()) if (contact.userId === userId) return contact
    return undefined
  }

  /** Creates a contact with Loops' defaults: source "API", subscribed. */
  createContact(email: string, userId: string | null): LoopsContact {
    const contact: LoopsContact = {
      id: randomId(24, 'base36', 'c'),
      email,
      firstName: null,
      lastName: null,
      source: 'API',
      subscribed: true,
      userGroup: '',
      userId,
      mailingLists: {},
      properties: {},
    }
    this.contacts.set(contact.id, contact)
    return contact
  }

  clear(): void {
    this.contacts.clear()
    this.customProperties.clear()
    this.mailingLists.clear()
    this.events.length = 0
  }

  snapshot(): LoopsStateSnapshot {
    return {
      contacts: [...this.contacts.values()].map(contactView),
      customProperties: [...this.customProperties.values()],
      mailingLists: [...this.mailingLists.values()],
      events: structuredClone(this.events),
    }
  }
}

/** A contact as Loops returns it (loops.json `Contact`): custom properties as top-level keys. */
export function contactView(contact: LoopsContact): Record<string, unknown> {
  return {
    id: contact.id,
    email: contact.email,
    firstName: contact.firstName,
    lastName: contact.lastName,
    source: contact.source,
    subscribed: contact.subscribed,
    userGroup: contact.userGroup,
    userId: contact.userId,
    mailingLists: { ...contact.mailingLists },
    optInStatus: null,
    ...contact.properties,
  }
}
