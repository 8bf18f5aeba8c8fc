import type { RateLimit } from '../../src/destinations/destination.js'

/**
 * Braze's documented figures and the choices built on them. reference/destinations.md sections
 * 2.3 to 2.5 quote the sources with links.
 */

/** Gate group of `POST /users/track`. */
export const BRAZE_TRACK_GROUP = 'track'

/** Gate group of `POST /users/delete` (shared at Braze with the alias, identify and merge endpoints). */
export const BRAZE_DELETE_GROUP = 'delete'

/** Gate group of every other endpoint, `/segments/list` included. */
export const BRAZE_DEFAULT_GROUP = 'default'

/**
 * At most 75 objects in each `/users/track` array; more is a 400 `Max Input Length Exceeded`
 * (https://www.braze.com/docs/api/api_limits/; section 2.3). A batch is one array, so 75 records.
 */
export const BRAZE_TRACK_BATCH_SIZE = 75

/** At most 50 identifiers of one kind per `/users/delete` request (post_user_delete page; section 2.4). */
export const BRAZE_DELETE_IDS_PER_REQUEST = 50

/** 3,000 `/users/track` requests per 3 seconds, since 2024-10-28 (api_limits page; section 2.5). */
export const BRAZE_TRACK_RATE_LIMIT: RateLimit = { group: BRAZE_TRACK_GROUP, requests: 3000, perMs: 3000 }

/** 20,000 requests a minute, shared by `/users/delete`, alias, identify and merge (section 2.5). */
export const BRAZE_DELETE_RATE_LIMIT: RateLimit = { group: BRAZE_DELETE_GROUP, requests: 20_000, perMs: 60_000 }

/** 250,000 requests an hour for every endpoint without its own limit (section 2.5). */
export const BRAZE_DEFAULT_RATE_LIMIT: RateLimit = { group: BRAZE_DEFAULT_GROUP, requests: 250_000, perMs: 3_600_000 }

/**
 * `deliver` calls in flight. Braze documents rate limits, not a concurrency limit: `/users/track`
 * answers once the request is queued (it processes asynchronously), so a call takes one round trip
 * of 50 to 200 ms. Eight calls in flight then send 40 to 160 requests a second, 3,000 to 12,000
 * objects, far under the 1,000 requests a second the track limit allows, which leaves the limit to
 * other syncs sharing the key while keeping a single sync fast.
 */
export const BRAZE_DELIVER_CONCURRENCY = 8
