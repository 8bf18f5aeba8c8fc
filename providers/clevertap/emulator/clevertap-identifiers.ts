/** The identifiers CleverTap accepts on a record (reference section 3.3), in the order they are looked up. */
export const CLEVERTAP_IDENTIFIERS = ['identity', 'objectId', 'FBID', 'GPID'] as const

/** One of {@link CLEVERTAP_IDENTIFIERS}. */
export type CleverTapIdentifier = (typeof CLEVERTAP_IDENTIFIERS)[number]

/** The identifiers a record or profile carries, each a string. */
export type CleverTapIdentifiers = Partial<Record<CleverTapIdentifier, string>>
