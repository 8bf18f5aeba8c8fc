import type { RateLimit } from '../../src/destinations/destination.js'

/**
 * Courier's documented figures and the choices built on them, each with its source or reason.
 * reference/destinations.md section 4 quotes the sources with links.
 */

/** Requests Courier does not rate limit: profiles, list and member reads, member DELETEs (see below). */
export const COURIER_DEFAULT_GROUP = 'default'

/** Requests under Courier's list-write limit: POSTs to subscriptions and PUTs to lists. */
export const COURIER_LIST_WRITES_GROUP = 'lists'

/**
 * 20 list writes a minute: "POST to subscriptions endpoints" and "PUT to lists"
 * (https://www.courier.com/docs/reference/rate-limits/; reference section 4.5). Profiles are not
 * rate limited, so no limit is declared for the default group.
 *
 * A member `DELETE /lists/{id}/subscriptions/{user}` stays in the default group: the docs name
 * only POSTs and PUTs, and whether Courier counts member DELETEs is [unverified] (section 4.7). A
 * 429 on one fails that record as `rate_limited`, so the engine backs off if Courier does count them.
 */
export const COURIER_LIST_WRITE_LIMIT: RateLimit = { group: COURIER_LIST_WRITES_GROUP, requests: 20, perMs: 60_000 }

/**
 * Records per `deliver` call for `profile`. Profiles are merged one per request (there is no batch
 * endpoint); a hundred per call spares the engine per-batch bookkeeping while the in-flight cap
 * below keeps the request rate civil.
 */
export const COURIER_PROFILE_BATCH_SIZE = 100

/**
 * Records per `deliver` call for `profileWithList`: each call makes one bulk subscribe, so at 20
 * list writes a minute the list takes 20,000 records a minute, more than ten profile merges in
 * flight deliver at any round trip over 30 ms. Courier documents no maximum number of recipients
 * per call (courier.json `lists_addSubscribers`); a thousand ids keep the body near 50 kB.
 */
export const COURIER_LIST_BATCH_SIZE = 1000

/**
 * Requests in flight per connector (profile merges and member removals). Courier does not limit
 * profiles (section 4.5); ten at a time is a polite ceiling, not a documented one.
 */
export const COURIER_MAX_IN_FLIGHT = 10

/**
 * `deliver` calls in flight. Each call already runs up to {@link COURIER_MAX_IN_FLIGHT} requests
 * (the cap is shared by every call), so two calls are enough to keep it busy while one of them
 * waits for its list write.
 */
export const COURIER_DELIVER_CONCURRENCY = 2
