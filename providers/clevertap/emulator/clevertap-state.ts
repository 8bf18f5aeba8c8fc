import { ValueIndex } from '../../../src/emulators/value-index.js'
import { CleverTapEventIndex } from './clevertap-event-index.js'
import { CLEVERTAP_IDENTIFIERS, type CleverTapIdentifier, type CleverTapIdentifiers } from './clevertap-identifiers.js'

/** A stored profile; `$D_` dates are kept as ISO 8601 strings. */
export interface CleverTapProfile {
  identifiers: CleverTapIdentifiers
  profileData: Record<string, unknown>
  /** Epoch seconds of the first and latest write. */
  createdTs: number
  updatedTs: number
}

/** A stored event; CleverTap keeps every one (no idempotency, section 3.5). */
export interface CleverTapEvent {
  identifiers: CleverTapIdentifiers
  evtName: string
  /** Epoch seconds. */
  ts: number
  evtData: Record<string, unknown>
}

/** Everything the CleverTap emulator stores, as `GET /_emulator/state` returns it. */
export interface CleverTapStateSnapshot {
  profiles: CleverTapProfile[]
  events: CleverTapEvent[]
}

/**
 * The in-memory store of one CleverTap account. Profiles are indexed by each identifier and by
 * `Email`, and events by the identifiers they carry, so that no lookup reads every profile or
 * event. When an upload moves an identifier value onto a second profile, several may share it;
 * the first created wins, as it did when profiles were searched in order. Every write goes through
 * a method here, which keeps the indexes in step.
 */
export class CleverTapState {
  /** In creation order; a Set, so that a delete does not shift the profiles after it. */
  readonly #profiles = new Set<CleverTapProfile>()
  readonly #events: CleverTapEvent[] = []
  readonly #created = new WeakMap<CleverTapProfile, number>()
  readonly #byIdentifier: Record<CleverTapIdentifier, ValueIndex<CleverTapProfile>>
  readonly #byEmail: ValueIndex<CleverTapProfile>
  readonly #eventsByIdentifier = new CleverTapEventIndex()
  #sequence = 0

  constructor() {
    const older = (a: CleverTapProfile, b: CleverTapProfile) => (this.#created.get(a) ?? 0) < (this.#created.get(b) ?? 0)
    this.#byIdentifier = {
      identity: new ValueIndex(older),
      objectId: new ValueIndex(older),
      FBID: new ValueIndex(older),
      GPID: new ValueIndex(older),
    }
    this.#byEmail = new ValueIndex(older)
  }

  /** The profile any of the given identifiers points to, tried in {@link CLEVERTAP_IDENTIFIERS} order. */
  find(identifiers: CleverTapIdentifiers): CleverTapProfile | undefined {
    for (const kind of CLEVERTAP_IDENTIFIERS) {
      const profile = this.#byIdentifier[kind].best(identifiers[kind])
      if (profile !== undefined) return profile
    }
    return undefined
  }

  /** The first created profile whose `Email` is `email`. */
  findByEmail(email: string): CleverTapProfile | undefined {
    return this.#byEmail.best(email)
  }

  /**
   * The profile of the identifiers, created when none exists (uploads upsert; section 3.3). A
   * found profile takes on the identifiers given, which may replace one it had.
   */
  upsert(identifiers: CleverTapIdentifiers, ts: number): CleverTapProfile {
    const existing = this.find(identifiers)
    if (existing === undefined) return this.#create(identifiers, ts)
    for (const [kind, value] of Object.entries(identifiers) as [CleverTapIdentifier, string][]) {
      const previous = existing.identifiers[kind]
      if (previous === value) continue
      this.#byIdentifier[kind].delete(previous, existing)
      existing.identifiers[kind] = value
      this.#byIdentifier[kind].add(value, existing)
    }
    existing.updatedTs = ts
    return existing
  }

  /** Merges `data` into the profile's `profileData`. */
  mergeProfileData(profile: CleverTapProfile, data: Record<string, unknown>): void {
    const previous = profile.profileData['Email']
    Object.assign(profile.profileData, data)
    const email = profile.profileData['Email']
    if (email === previous) return
    this.#byEmail.delete(previous, profile)
    this.#byEmail.add(email, profile)
  }

  /** Appends an event. */
  addEvent(event: CleverTapEvent): void {
    this.#eventsByIdentifier.add(event.identifiers, this.#events.length)
    this.#events.push(event)
  }

  /**
   * The profile's events, oldest first: those whose identifiers lead to it now. An event keeps the
   * identifiers its profile had when it was sent, so it sits under one of the profile's values.
   */
  eventsOf(profile: CleverTapProfile): CleverTapEvent[] {
    return this.#eventsByIdentifier
      .sharing(profile.identifiers)
      .map((position) => this.#events[position])
      .filter((event): event is CleverTapEvent => event !== undefined && this.find(event.identifiers) === profile)
  }

  remove(profile: CleverTapProfile): void {
    if (!this.#profiles.delete(profile)) return
    for (const kind of CLEVERTAP_IDENTIFIERS) this.#byIdentifier[kind].delete(profile.identifiers[kind], profile)
    this.#byEmail.delete(profile.profileData['Email'], profile)
  }

  clear(): void {
    this.#profiles.clear()
    this.#events.length = 0
    for (const kind of CLEVERTAP_IDENTIFIERS) this.#byIdentifier[kind].clear()
    this.#byEmail.clear()
    this.#eventsByIdentifier.clear()
  }

  snapshot(): CleverTapStateSnapshot {
    return structuredClone({ profiles: [...this.#profiles], events: this.#events })
  }

  #create(identifiers: CleverTapIdentifiers, ts: number): CleverTapProfile {
    const profile: CleverTapProfile = { identifiers: { ...identifiers }, profileData: {}, createdTs: ts, updatedTs: ts }
    this.#profiles.add(profile)
    this.#created.set(profile, ++this.#sequence)
    for (const kind of CLEVERTAP_IDENTIFIERS) this.#byIdentifier[kind].add(profile.identifiers[kind], profile)
    return profile
  }
}
