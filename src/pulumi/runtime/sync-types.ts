import type { DestinationSpec, SourceSpec, SyncSpec } from '../../model/spec-types.js'

/** What a `Sync` provider receives: plain JSON, as Pulumi resolved it. */
export interface SyncInputs {
  /** The `Sync` spec, as registered in the state store. */
  sync: SyncSpec
  /** The `Destination` spec it writes to, registered with it so the runner writes where it says. */
  destination: DestinationSpec
  /** The `Source` spec it reads from; its warehouse holds the state store. */
  source: SourceSpec
  /**
   * Values of the source's `{ secret: NAME }` references, by NAME. A secret input, so that
   * Pulumi keeps the output of the same name secret too.
   */
  credentials: Record<string, string>
  /** The id of the `DestinationConnection` it writes through (unknown in a first preview). */
  connectionId?: string | undefined
  /** `syncSpecHash(sync)`: when it changes, the next run resyncs every row. */
  specHash: string
  /**
   * The Temporal server whose Schedule runs the sync (its cron or interval) on Outflow workers;
   * none when runs are started another way. TLS and API key settings come from the `TEMPORAL_*`
   * environment of `pulumi` itself.
   */
  temporal?: SyncTemporal | undefined
}

/** Where a sync's Temporal Schedule lives. */
export interface SyncTemporal {
  address: string
  namespace?: string | undefined
  taskQueue?: string | undefined
}

/** What a `Sync` keeps in state: its inputs, as registered. */
export type SyncOutputs = SyncInputs
