import type { DestinationCatalog } from '../../src/destinations/destination-catalog.js'

/**
 * Loops objects. Field names and types: Loops OpenAPI 1.21.6 `ContactFields`
 * (reference/openapi/loops.json) and https://loops.so/docs/contacts/properties.
 */
export const loopsCatalog = {
  type: 'loops',
  displayName: 'Loops',
  objects: {
    contact: {
      description: 'A Loops contact, found by email or userId.',
      identifiers: ['email', 'userId'],
      behaviors: ['upsert', 'mirror'],
      fields: {
        // Loops takes identifiers only as strings and matches contacts by them (loops.json
        // `ContactFields`; reference/destinations.md section 1.5): neither can be removed.
        email: {
          type: 'string',
          description: 'Email address; needed to create a contact.',
          notClearable: "Loops cannot remove a contact's email, so it would keep the old one",
        },
        userId: {
          type: 'string',
          description: 'Your id for the contact.',
          notClearable: "Loops cannot remove a contact's userId, so it would keep the old one",
        },
        firstName: { type: 'string', description: 'First name.' },
        lastName: { type: 'string', description: 'Last name.' },
        source: { type: 'string', description: 'Where the contact came from (Loops shows "API" otherwise).' },
        subscribed: {
          type: 'boolean',
          description: 'Whether the contact receives campaigns; `true` re-subscribes a contact who unsubscribed.',
          // A boolean with no "unknown" (loops.json `ContactFields`): leaving it out keeps what the contact has.
          notClearable: 'Loops keeps a subscription status until it is set to true or false',
        },
        userGroup: { type: 'string', description: 'A single group name.' },
      },
      customFields: { allowed: true, description: 'custom contact properties, created in Loops by `pulumi up` when missing' },
      requiredFields: [
        // A contact that does not exist yet can only be created with an email (Loops answers 400
        // to an upsert by userId alone): reference/destinations.md section 1.5.
        { anyOf: ['email'], behaviors: ['upsert', 'mirror'], reason: 'Loops creates a contact only with an email' },
      ],
      options: ['mailingLists', 'triggerEvent'],
      requiredOptions: [],
    },
  },
} as const satisfies DestinationCatalog
