import type { RateLimit } from '../../src/destinations/destination.js'

/**
 * Loops' documented figures, each with its source. reference/destinations.md section 1 quotes
 * them with links; the section is given beside each constant.
 */

/** The request group every Loops call belongs to: one limit covers the whole API. */
export const LOOPS_REQUEST_GROUP = 'default'

/**
 * Records per `deliver` call. Loops has no batch or bulk contact endpoint, so each contact is its
 * own request (https://loops.so/docs/contacts/properties; reference section 1.3).
 */
export const LOOPS_CONTACT_BATCH_SIZE = 1

/**
 * 10 requests per second per team, 429 beyond it (https://loops.so/docs/api-reference/intro;
 * reference section 1.7). Every call counts, the API key test and custom properties included.
 */
export const LOOPS_RATE_LIMIT: RateLimit = { group: LOOPS_REQUEST_GROUP, requests: 10, perMs: 1000 }

/**
 * `deliver` calls in flight. The rate limit, not concurrency, bounds throughput: ten requests in
 * flight keep the 10/s budget busy as long as one round trip takes under a second, and more would
 * only queue at the request gate. Loops documents no concurrency limit of its own.
 */
export const LOOPS_CONTACT_CONCURRENCY = 10

/**
 * Longest `Idempotency-Key` Loops accepts on `POST /v1/events/send` (loops.json `sendEvent`
 * header parameter; reference section 1.6). Longer keys are hashed.
 */
export const LOOPS_IDEMPOTENCY_KEY_MAX_LENGTH = 100
