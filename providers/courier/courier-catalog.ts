import type { DestinationCatalog, FieldDescriptor } from '../../src/destinations/destination-catalog.js'

/**
 * Courier profile keys follow the OpenID Connect standard claims
 * (https://www.courier.com/docs/api-reference/user-profiles/); other keys are kept as given.
 */
const profileFields = {
  email: { type: 'string', description: 'Email address.' },
  phone_number: { type: 'string', description: 'Phone number.' },
  name: { type: 'string', description: 'Full name.' },
  given_name: { type: 'string', description: 'Given name.' },
  family_name: { type: 'string', description: 'Family name.' },
  preferred_name: { type: 'string', description: 'Preferred name.' },
  locale: { type: 'string', description: 'Locale, such as en-US.' },
  zoneinfo: { type: 'string', description: 'IANA time zone.' },
  birthdate: { type: 'date', description: 'Date of birth.' },
  email_verified: { type: 'boolean', description: 'Whether the email address is verified.' },
  phone_number_verified: { type: 'boolean', description: 'Whether the phone number is verified.' },
} as const satisfies Record<string, FieldDescriptor>

/** Courier objects: profiles (merged), and profiles kept subscribed to one list. */
export const courierCatalog = {
  type: 'courier',
  displayName: 'Courier',
  objects: {
    profile: {
      description: 'A Courier profile, by recipient id; mapped keys are merged into the profile.',
      identifiers: ['recipient_id'],
      behaviors: ['upsert'],
      fields: profileFields,
      customFields: { allowed: true, description: 'extra profile keys' },
      requiredFields: [],
      options: [],
      requiredOptions: [],
    },
    profileWithList: {
      description:
        'A Courier profile, merged, and subscribed to the list in `options.list`; with mirror, rows gone from the model are unsubscribed.',
      identifiers: ['recipient_id'],
      behaviors: ['upsert', 'mirror'],
      fields: profileFields,
      customFields: { allowed: true, description: 'extra profile keys' },
      requiredFields: [],
      options: ['list'],
      requiredOptions: ['list'],
    },
  },
} as const satisfies DestinationCatalog
