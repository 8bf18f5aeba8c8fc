import type { DestinationCatalog } from '../../src/destinations/destination-catalog.js'

/**
 * CleverTap objects, written through `POST /1/upload`. Standard profile keys:
 * https://developer.clevertap.com/docs/upload-user-profiles-api; events:
 * https://developer.clevertap.com/docs/upload-events-api.
 */
export const clevertapCatalog = {
  type: 'clevertap',
  displayName: 'CleverTap',
  objects: {
    profile: {
      description: 'A CleverTap user profile, by identity.',
      identifiers: ['identity'],
      behaviors: ['upsert'],
      fields: {
        identity: { type: 'string', description: 'Your id for the user (under 120 characters).' },
        Name: { type: 'string', description: 'Full name.' },
        Email: { type: 'string', description: 'Email address.' },
        Phone: { type: 'string', description: 'Phone number with country code (+<code><number>).' },
        Gender: { type: 'string', description: 'M or F.' },
        DOB: { type: 'date', description: 'Date of birth.' },
        Age: { type: 'number', description: 'Age in years.' },
        'Customer Type': { type: 'string', description: 'Customer type.' },
        'MSG-email': { type: 'boolean', description: 'Whether the user receives email.' },
        'MSG-push': { type: 'boolean', description: 'Whether the user receives push notifications.' },
        'MSG-sms': { type: 'boolean', description: 'Whether the user receives SMS.' },
        'MSG-whatsapp': { type: 'boolean', description: 'Whether the user receives WhatsApp messages.' },
      },
      customFields: { allowed: true, description: 'custom profile properties' },
      requiredFields: [],
      options: [],
      requiredOptions: [],
    },
    event: {
      description: 'A CleverTap event, sent once per row; CleverTap does not deduplicate events.',
      identifiers: [],
      behaviors: ['send'],
      fields: {
        identity: { type: 'string', description: 'The user the event belongs to.' },
        evtName: { type: 'string', description: 'Event name.' },
        ts: { type: 'date', description: 'When the event happened; the run time when not mapped.' },
      },
      customFields: { allowed: true, description: 'event properties (evtData)' },
      requiredFields: [
        { anyOf: ['identity'], reason: 'each CleverTap event needs the identity of its user' },
        { anyOf: ['evtName'], reason: 'each CleverTap event needs an event name' },
      ],
      options: [],
      requiredOptions: [],
    },
  },
} as const satisfies DestinationCatalog
