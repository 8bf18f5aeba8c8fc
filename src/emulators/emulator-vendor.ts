import type { EmulatorRequest, EmulatorResponse, RequestOutcome } from './emulator-http.js'

/** One vendor endpoint. */
export interface VendorRoute<Principal> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** A path pattern; `:name` segments become `request.params.name`. */
  readonly path: string
  /** A stable name: the OpenAPI operationId where the vendor publishes one. */
  readonly operation: string
  handle(request: EmulatorRequest, principal: Principal): EmulatorResponse | Promise<EmulatorResponse>
}

/** The result of checking a request's credentials: who is calling, or the vendor's refusal. */
export type AuthResult<Principal> = { principal: Principal } | { response: EmulatorResponse }

/** A rate or concurrency limiter's verdict: headers for the answer, a refusal, or a slot to free. */
export interface Admission {
  /** Added to the answer, refused or not (Loops and Braze send rate-limit headers on every response). */
  headers?: Readonly<Record<string, string>>
  /** Set when the request is over the limit. */
  rejection?: EmulatorResponse
  /** Frees a concurrency slot once the request is answered. */
  release?: () => void
}

/**
 * What a vendor emulator supplies to the shared server: routes, auth, limits, error shape and
 * state. The server owns the HTTP plumbing, faults, the request log and the admin API.
 */
export interface EmulatorVendor<Principal, State> {
  readonly name: string
  readonly routes: readonly VendorRoute<Principal>[]
  /** Checks credentials (and, for Braze, the key's permission for the route). */
  authenticate(request: EmulatorRequest, route: VendorRoute<Principal>): AuthResult<Principal>
  /** Applies rate and concurrency limits; runs after auth, before validation. */
  admit?(request: EmulatorRequest, route: VendorRoute<Principal>, principal: Principal): Admission
  /** Checks the request body against the vendor's published schema; returns the vendor's 400. */
  validateRequest?(request: EmulatorRequest, route: VendorRoute<Principal>): EmulatorResponse | undefined
  /** The vendor's error body for a status, used for routing errors and injected faults. */
  errorResponse(status: number, message: string): EmulatorResponse
  /** Wraps faults, limits and the handler (Courier replays idempotent POSTs around them). */
  around?(request: EmulatorRequest, principal: Principal, next: () => Promise<RequestOutcome>): Promise<RequestOutcome>
  /** Every stored record, as plain JSON. */
  snapshot(): State
  /** Clears state, limiter counters and idempotency keys. */
  reset(): void
  /** Adds seed data that the vendor API cannot create (Loops mailing lists, Braze segments); returns problems. */
  seed?(body: unknown): string[]
}
