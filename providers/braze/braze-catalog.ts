import type { DestinationCatalog } from '../../src/destinations/destination-catalog.js'

/**
 * Braze objects, written through `POST /users/track`. Fields: the user attributes object
 * (https://www.braze.com/docs/api/objects_filters/user_attributes_object/) and the event object
 * (https://www.braze.com/docs/api/objects_filters/event_object/).
 */
export const brazeCatalog = {
  type: 'braze',
  displayName: 'Braze',
  objects: {
    user: {
      description: 'A Braze user profile, by external_id.',
      identifiers: ['external_id'],
      behaviors: ['upsert', 'update', 'mirror'],
      fields: {
        external_id: { type: 'string', description: 'Your id for the user.' },
        first_name: { type: 'string', description: 'First name.' },
        last_name: { type: 'string', description: 'Last name.' },
        email: { type: 'string', description: 'Email address.' },
        phone: { type: 'string', description: 'Phone number, E.164 recommended.' },
        country: { type: 'string', description: 'ISO-3166-1 alpha-2 country code.' },
        language: { type: 'string', description: 'ISO-639-1 language code.' },
        dob: { type: 'date', description: 'Date of birth (sent as YYYY-MM-DD).' },
        gender: { type: 'string', description: 'M, F, O, N or P.' },
        home_city: { type: 'string', description: 'Home city.' },
        time_zone: { type: 'string', description: 'IANA time zone name.' },
        email_subscribe: { type: 'string', description: 'opted_in, subscribed or unsubscribed.' },
        push_subscribe: { type: 'string', description: 'opted_in, subscribed or unsubscribed.' },
      },
      customFields: { allowed: true, description: 'custom attributes' },
      requiredFields: [],
      options: [],
      requiredOptions: [],
    },
    event: {
      description: 'A custom event, sent once per row; Braze does not deduplicate events.',
      identifiers: [],
      behaviors: ['send'],
      fields: {
        external_id: { type: 'string', description: 'The user the event belongs to.' },
        email: { type: 'string', description: 'The user the event belongs to, by email.' },
        name: { type: 'string', description: 'Event name.' },
        time: { type: 'date', description: 'When the event happened; the run time when not mapped.' },
        app_id: { type: 'string', description: 'App identifier.' },
      },
      customFields: { allowed: true, description: 'event properties' },
      requiredFields: [
        { anyOf: ['external_id', 'email'], reason: 'each Braze event needs the user it belongs to' },
        { anyOf: ['name'], reason: 'each Braze event needs a name' },
      ],
      options: [],
      requiredOptions: [],
    },
  },
} as const satisfies DestinationCatalog
