import { CLEVERTAP_IDENTIFIERS, type CleverTapIdentifier, type CleverTapIdentifiers } from './clevertap-identifiers.js'

/**
 * Where the events carrying each identifier value sit in the account's event list, so that a
 * profile's events are read without going through every event. Events are only ever appended
 * (and all cleared at once), so a position stays valid.
 */
export class CleverTapEventIndex {
  readonly #positions: Record<CleverTapIdentifier, Map<string, number[]>> = {
    identity: new Map(),
    objectId: new Map(),
    FBID: new Map(),
    GPID: new Map(),
  }

  /** Notes that the event at `position` carries `identifiers`. */
  add(identifiers: CleverTapIdentifiers, position: number): void {
    for (const kind of CLEVERTAP_IDENTIFIERS) {
      const value = identifiers[kind]
      if (value === undefined) continue
      const positions = this.#positions[kind].get(value)
      if (positions === undefined) this.#positions[kind].set(value, [position])
      else positions.push(position)
    }
  }

  /** The positions of the events sharing any identifier value with `identifiers`, in order, each once. */
  sharing(identifiers: CleverTapIdentifiers): number[] {
    const found = new Set<number>()
    for (const kind of CLEVERTAP_IDENTIFIERS) {
      const value = identifiers[kind]
      if (value === undefined) continue
      for (const position of this.#positions[kind].get(value) ?? []) found.add(position)
    }
    return [...found].sort((a, b) => a - b)
  }

  clear(): void {
    for (const kind of CLEVERTAP_IDENTIFIERS) this.#positions[kind].clear()
  }
}
