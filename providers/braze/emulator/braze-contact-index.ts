import { ValueIndex } from '../../../src/emulators/value-index.js'
import type { BrazeUser } from './braze-state.js'

const newer = (a: BrazeUser, b: BrazeUser) => a.revision > b.revision

/**
 * Users by the value of one contact field (`email` or `phone`), so that the profile an email names
 * is found without reading every user. The owner keeps it in step: `add`/`delete` whenever the
 * field is written or the user removed, `touched` whenever the user's revision rises.
 */
export class BrazeContactIndex {
  readonly #everyone = new ValueIndex<BrazeUser>(newer)
  /** Users with an external_id, which never changes, so a user stays in or out of it for good. */
  readonly #identified = new ValueIndex<BrazeUser>(newer)

  add(user: BrazeUser, value: unknown): void {
    this.#everyone.add(value, user)
    if (user.external_id !== undefined) this.#identified.add(value, user)
  }

  delete(user: BrazeUser, value: unknown): void {
    this.#everyone.delete(value, user)
    if (user.external_id !== undefined) this.#identified.delete(value, user)
  }

  /** The user's revision rose: it is now the most recently updated holder of its value. */
  touched(user: BrazeUser, value: unknown): void {
    this.#everyone.promote(value, user)
    if (user.external_id !== undefined) this.#identified.promote(value, user)
  }

  /**
   * The profile a track object's email or phone identifies: of several, the most recently updated
   * one with an external_id, else the most recently updated (reference section 2.3, post_user_track FAQ).
   */
  preferred(value: string): BrazeUser | undefined {
    return this.#identified.best(value) ?? this.#everyone.best(value)
  }

  /** Every user holding `value`, in no particular order. */
  holders(value: unknown): BrazeUser[] {
    return this.#everyone.all(value)
  }

  clear(): void {
    this.#everyone.clear()
    this.#identified.clear()
  }
}
