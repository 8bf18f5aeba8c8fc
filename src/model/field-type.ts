/** Types a destination field can declare; values are cast to them before sending. */
export const FIELD_TYPES = ['string', 'number', 'boolean', 'date'] as const
export type FieldType = (typeof FIELD_TYPES)[number]
