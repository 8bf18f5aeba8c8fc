import { isRecord } from '../../../src/util/is-record.js'
import type { BrazeState, BrazeUser } from './braze-state.js'
import { parseBrazeTime } from './braze-time.js'

/** Keys of a track object that identify the user rather than describe it. */
const IDENTITY_KEYS = new Set(['external_id', 'user_alias', 'braze_id', '_update_existing_only', '_merge_objects'])

/** Standard profile fields (user attributes object; reference section 2.3); anything else is a custom attribute. */
export const BRAZE_STANDARD_ATTRIBUTES = new Set([
  'first_name',
  'last_name',
  'email',
  'phone',
  'country',
  'language',
  'dob',
  'gender',
  'home_city',
  'time_zone',
  'email_subscribe',
  'push_subscribe',
  'subscription_groups',
  'email_open_tracking_disabled',
  'email_click_tracking_disabled',
  'date_of_first_session',
  'date_of_last_session',
  'marked_email_as_spam_at',
  'current_location',
  'push_tokens',
  'facebook',
  'twitter',
])

/** Event property keys Braze reserves (event object; reference section 2.3). */
const RESERVED_EVENT_PROPERTIES = new Set(['time', 'event_name'])

/**
 * Applies an attributes object to a user: standard fields, custom attributes, `null` to remove,
 * `inc`/`add`/`remove`. Email and phone go through the state, which indexes users by them.
 */
export function applyAttributes(state: BrazeState, user: BrazeUser, object: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(object)) {
    if (IDENTITY_KEYS.has(key)) continue
    if (key === 'email' || key === 'phone') state.setContact(user, key, value)
    else if (BRAZE_STANDARD_ATTRIBUTES.has(key)) setStandard(user.attributes, key, value)
    else applyCustom(user.custom_attributes, key, value)
  }
}

/** Braze stores an unmappable country as null and ignores an unknown time zone (reference section 2.3). */
function setStandard(attributes: Record<string, unknown>, key: string, value: unknown): void {
  if (value === null) {
    Reflect.deleteProperty(attributes, key)
  } else if (key === 'country') {
    attributes[key] = typeof value === 'string' && /^[A-Za-z]{2}$/.test(value) ? value.toUpperCase() : null
  } else if (key === 'time_zone') {
    if (typeof value === 'string' && isTimeZone(value)) attributes[key] = value
  } else {
    attributes[key] = value
  }
}

function applyCustom(attributes: Record<string, unknown>, key: string, value: unknown): void {
  const current = attributes[key]
  const currentArray: unknown[] = Array.isArray(current) ? (current as unknown[]) : []
  if (value === null) Reflect.deleteProperty(attributes, key)
  else if (isRecord(value) && typeof value['inc'] === 'number') attributes[key] = (typeof current === 'number' ? current : 0) + value['inc']
  else if (isRecord(value) && Array.isArray(value['add'])) attributes[key] = [...new Set([...currentArray, ...(value['add'] as unknown[])])]
  else if (isRecord(value) && Array.isArray(value['remove'])) {
    const removed = value['remove'] as unknown[]
    attributes[key] = currentArray.filter((item) => !removed.includes(item))
  } else attributes[key] = value
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** The error type of an invalid event object, or `undefined`. [unverified] texts in Braze's `'field' is ...` style. */
export function checkEvent(object: Record<string, unknown>): string | undefined {
  if (typeof object['name'] !== 'string' || object['name'] === '') return "'name' is required"
  if (object['time'] === undefined) return "'time' is required"
  if (parseBrazeTime(object['time']) === undefined) return "'time' is not valid"
  return checkProperties(object['properties'])
}

/** The error type of an invalid purchase object, or `undefined`. */
export function checkPurchase(object: Record<string, unknown>): string | undefined {
  if (typeof object['product_id'] !== 'string' || object['product_id'] === '') return "'product_id' is required"
  if (typeof object['currency'] !== 'string' || !/^[A-Za-z]{3}$/.test(object['currency'])) return "'currency' is not valid"
  if (typeof object['price'] !== 'number' || !Number.isFinite(object['price'])) return "'price' is not valid"
  const quantity = object['quantity']
  if (quantity !== undefined && !(Number.isInteger(quantity) && (quantity as number) >= 1 && (quantity as number) <= 100))
    return "'quantity' is not valid"
  if (parseBrazeTime(object['time']) === undefined) return object['time'] === undefined ? "'time' is required" : "'time' is not valid"
  return checkProperties(object['properties'])
}

/** Keys non-empty, at most 255 characters, no leading `$`, not reserved; string values at most 255 characters. */
function checkProperties(properties: unknown): string | undefined {
  if (properties === undefined) return undefined
  if (!isRecord(properties)) return "'properties' is not valid"
  for (const [key, value] of Object.entries(properties)) {
    if (key === '' || key.length > 255 || key.startsWith('$') || RESERVED_EVENT_PROPERTIES.has(key))
      return `'properties' has an invalid key: ${key}`
    if (typeof value === 'string' && value.length > 255) return `'properties.${key}' is too long`
  }
  return undefined
}
