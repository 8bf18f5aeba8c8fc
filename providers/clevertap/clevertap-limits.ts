/**
 * CleverTap's documented figures and the choices built on them. reference/destinations.md sections
 * 3.3 and 3.5 quote the sources with links.
 */

/** Gate group of `POST /1/upload`. CleverTap limits it by concurrency only, so no rate limit is declared. */
export const CLEVERTAP_UPLOAD_GROUP = 'upload'

/** Gate group of every other call (`/v1/connect`). */
export const CLEVERTAP_DEFAULT_GROUP = 'default'

/**
 * Records per `/1/upload`, profiles and events alike: "max 1000 records per call"
 * (upload-user-profiles-api, upload-events-api; section 3.3). [conflict] Older revisions of the
 * docs said 100, and the official Node SDK still splits uploads into 100s; the current documented
 * figure is used, and a 400 for an oversized upload stops the run with a clear error.
 */
export const CLEVERTAP_UPLOAD_BATCH_SIZE = 1000

/**
 * Uploads in flight per account: 15 for Upload Events and Upload User Profiles (older docs: 3);
 * beyond it, 429 "Too many concurrent requests" (api-request-limit; section 3.5). Each `deliver`
 * call makes one upload, so this is the number of `deliver` calls in flight.
 */
export const CLEVERTAP_UPLOAD_CONCURRENCY = 15
