/** The identifiers CleverTap accepts on a record (section 3.3), in the order they are looked up. */
export const CLEVERTAP_IDENTIFIERS = ['identity', 'objectId', 'FBID', 'GPID'] as const
export type CleverTapIdentifier = (typeof CLEVERTAP_IDENTIFIERS)[number]

/** A stored profile; `$D_` dates are kept as ISO 8601 strings. */
export interface CleverTapProfile {
  identifiers: Partial<Record<CleverTapIdentifier, string>>
  profileData: Record<string, unknown>
  /** Epoch seconds of the first and latest write. */
  createdTs: number
  updatedTs: number
}

/** A stored event; CleverTap keeps every one (no idempotency, section 3.5). */
export interface CleverTapEvent {
  identifiers: Partial<Record<CleverTapIdentifier, string>>
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

/** The in-memory store of one CleverTap account. */
export class CleverTapState {
  readonly profiles: CleverTapProfile[] = []
  readonly events: CleverTapEvent[] = []

  /** The profile any of the given identifiers points to. */
  find(identifiers: Partial<Record<CleverTapIdentifier, string>>): CleverTapProfile | undefined {
    for (const kind of CLEVERTAP_IDENTIFIERS) {
      const value = identifiers[kind]
      if (value === undefined) continue
      const profile = this.profiles.find((p) => p.identifiers[kind] === value)
      if (profile !== undefined) return profile
    }
    return undefined
  }

  /** The profile of the identifiers, created when none exists (uploads upsert; section 3.3). */
  upsert(identifiers: Partial<Record<CleverTapIdentifier, string>>, ts: number): CleverTapProfile {
    const existing = this.find(identifiers)
    if (existing !== undefined) {
      Object.assign(existing.identifiers, identifiers)
      existing.updatedTs = ts
      return existing
    }
    const profile: CleverTapProfile = { identifiers: { ...identifiers }, profileData: {}, createdTs: ts, updatedTs: ts }
    this.profiles.push(profile)
    return profile
  }

  remove(profile: CleverTapProfile): void {
    this.profiles.splice(this.profiles.indexOf(profile), 1)
  }

  clear(): void {
    this.profiles.length = 0
    this.events.length = 0
  }

  snapshot(): CleverTapStateSnapshot {
    return structuredClone({ profiles: this.profiles, events: this.events })
  }
}
