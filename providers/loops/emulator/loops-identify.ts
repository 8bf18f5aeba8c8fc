import { LOOPS_MESSAGES } from './loops-errors.js'
import type { LoopsContact, LoopsState } from './loops-state.js'

/** The contact an email and/or userId point to: none, one, or two different ones (`conflict`). */
export type ContactResolution = LoopsContact | undefined | 'conflict'

/**
 * Loops' upsert identity rule (loops.json `updateContact`; reference section 1.5): with both
 * identifiers, a contact matching either one is the target; two different matches are a conflict.
 */
export function resolveContact(state: LoopsState, email: string | undefined, userId: string | undefined): ContactResolution {
  const byEmail = email === undefined ? undefined : state.byEmail(email)
  const byUserId = userId === undefined ? undefined : state.byUserId(userId)
  if (byEmail !== undefined && byUserId !== undefined && byEmail !== byUserId) return 'conflict'
  return byEmail ?? byUserId
}

/** Exactly one identifier, as find and delete take it; or the 400 message. */
export type SingleIdentifier = { email: string } | { userId: string } | { problem: string }

/** Reads "exactly one of email or userId" (find, delete; reference section 1.5). */
export function singleIdentifier(email: unknown, userId: unknown): SingleIdentifier {
  const hasEmail = typeof email === 'string' && email !== ''
  const hasUserId = typeof userId === 'string' && userId !== ''
  if (hasEmail && hasUserId) return { problem: LOOPS_MESSAGES.oneIdentifier }
  if (hasEmail) return { email }
  if (hasUserId) return { userId }
  return { problem: LOOPS_MESSAGES.missingIdentifier }
}

/** A non-empty string field of a body, or `undefined`. */
export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
