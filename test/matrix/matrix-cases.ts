import type { DestinationType } from '../../src/destinations/destination-catalog.js'
import type { Behavior } from '../../src/model/behavior.js'

/** Columns of the matrix model `people`: the key `id`, then the mapped ones. */
export const MODEL_COLUMNS = ['email', 'name', 'plan', 'score'] as const
export type ModelColumn = (typeof MODEL_COLUMNS)[number] | 'id'

/** A mapping of the case: a model column, the destination field it writes, and its type when not a string. */
export interface FieldMapping {
  column: ModelColumn
  field: string
  type?: 'number'
}

/** One (destination, object, behavior) the catalogs allow, and how its sync is written. */
export interface MatrixCase {
  destination: DestinationType
  object: string
  behavior: Behavior
  /** The destination field the key `id` maps to; undefined for event objects (keyed by an event id column). */
  keyField: string | undefined
  fields: readonly FieldMapping[]
  /** Fields set to a constant, such as an event's name. */
  constants?: Readonly<Record<string, string>>
  /** Object options, as YAML flow mappings under `options:`. */
  options?: Readonly<Record<string, string>>
  /**
   * Columns whose null the destination refuses (it cannot clear the field): a row with a null in
   * one of them is rejected with a reason naming the field, and the destination keeps its record.
   */
  refusesNull: readonly ModelColumn[]
  /** The connector reports whether it created each record, and the snapshot keeps it (Loops). */
  reportsCreation?: boolean
  /** `update`: keys of records that exist at the destination before the first run. */
  existing?: readonly string[]
}

/** What users, profiles and contacts get: the same four columns under each vendor's field names. */
function profileFields(email: string, name: string): FieldMapping[] {
  return [
    { column: 'email', field: email },
    { column: 'name', field: name },
    { column: 'plan', field: 'plan' },
    { column: 'score', field: 'score', type: 'number' },
  ]
}

/** Event properties: the event's user is the row's id, so each event can be told apart. */
function eventFields(user: string): FieldMapping[] {
  return [
    { column: 'id', field: user },
    { column: 'name', field: 'first_name' },
    { column: 'plan', field: 'plan' },
    { column: 'score', field: 'score', type: 'number' },
  ]
}

const loopsContact = {
  destination: 'loops',
  object: 'contact',
  // Keyed by userId, so that the email is a field that a row can set to null.
  keyField: 'userId',
  fields: profileFields('email', 'firstName'),
  // Loops cannot remove a contact's email (reference/destinations.md section 1.5).
  refusesNull: ['email'],
  reportsCreation: true,
} as const satisfies Omit<MatrixCase, 'behavior'>

const brazeUser = {
  destination: 'braze',
  object: 'user',
  keyField: 'external_id',
  fields: profileFields('email', 'first_name'),
  refusesNull: [],
} as const satisfies Omit<MatrixCase, 'behavior'>

const courierProfile = {
  destination: 'courier',
  keyField: 'recipient_id',
  fields: profileFields('email', 'name'),
  refusesNull: [],
} as const satisfies Omit<MatrixCase, 'behavior' | 'object'>

const courierList = { list: '{ id: matrix.members, name: Matrix members }' }

/** Every (destination, object, behavior) the catalogs allow; the test checks that none is missing. */
export const MATRIX_CASES: readonly MatrixCase[] = [
  { ...loopsContact, behavior: 'upsert' },
  { ...loopsContact, behavior: 'mirror' },
  { ...brazeUser, behavior: 'upsert' },
  { ...brazeUser, behavior: 'update', existing: ['1', '2', '3', '4'] },
  { ...brazeUser, behavior: 'mirror' },
  {
    destination: 'braze',
    object: 'event',
    behavior: 'send',
    keyField: undefined,
    fields: eventFields('external_id'),
    constants: { name: 'matrix_event' },
    refusesNull: [],
  },
  {
    destination: 'clevertap',
    object: 'profile',
    behavior: 'upsert',
    keyField: 'identity',
    fields: profileFields('Email', 'Name'),
    // CleverTap checks the format of Email and skips the record otherwise (code 515, reference section 3.3).
    refusesNull: ['email'],
  },
  {
    destination: 'clevertap',
    object: 'event',
    behavior: 'send',
    keyField: undefined,
    fields: eventFields('identity'),
    constants: { evtName: 'matrix_event' },
    refusesNull: [],
  },
  { ...courierProfile, object: 'profile', behavior: 'upsert' },
  { ...courierProfile, object: 'profileWithList', behavior: 'upsert', options: courierList },
  { ...courierProfile, object: 'profileWithList', behavior: 'mirror', options: courierList },
]

/** A readable test name. */
export function caseName(matrixCase: MatrixCase): string {
  return `${matrixCase.destination} ${matrixCase.object} ${matrixCase.behavior}`
}
