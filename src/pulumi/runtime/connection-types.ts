import type { PrepareRequest } from '../../destinations/destination.js'
import type { DestinationSpec } from '../../model/spec-types.js'

/** What a `DestinationConnection` provider receives: plain JSON, as Pulumi resolved it. */
export interface ConnectionInputs {
  /** The `Destination` spec. */
  destination: DestinationSpec
  /** What each sync writing through this connection needs at the destination, by sync name. */
  prepare: Record<string, PrepareRequest>
  /**
   * Values of the connection's `{ secret: NAME }` references, by NAME. A secret input, so that
   * Pulumi keeps the output of the same name secret too.
   */
  credentials: Record<string, string>
}

/** What a `DestinationConnection` keeps in state: its inputs and what the destination reported. */
export interface ConnectionOutputs extends ConnectionInputs {
  /** Whether the credentials worked at the last create, update or refresh. */
  verified: boolean
  /** What the vendor said about the credentials (`Loops team "Acme"`), or why it refused them. */
  status: string
  /** What preparation made sure exists (`property:plan (string)`, `list:newsletter.weekly`). */
  prepared: string[]
  /** What a refresh found missing at the destination; empty after create and update. */
  missing: string[]
}
