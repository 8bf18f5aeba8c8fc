/*
 * The bounds of a schedule. Within them every time the scheduler computes is an ordinary date, so
 * `status` and `schedule` never meet an invalid one, and a run is never so frequent that it only
 * hammers the warehouse and the vendor.
 */

/** The shortest interval: `1s` (the scheduler does not check more often than once a second). */
export const MIN_INTERVAL_SECONDS = 1

/** The longest interval: `366d`. A sync that runs less than once a year is a manual one. */
export const MAX_INTERVAL_SECONDS = 366 * 24 * 60 * 60

/** How many fields a cron expression has: five (minute to day-of-week), or six with seconds first. */
export const CRON_FIELD_COUNTS: readonly number[] = [5, 6]
