import type { BrazeState, BrazeUser } from './braze-state.js'

/** How often, and when first and last, a user did something (an event name, a product bought). */
interface ActivitySummary {
  name: string
  first: string
  last: string
  count: number
}

/** A user as `/users/export/ids` shows it: profile fields, custom attributes, event and purchase summaries. */
export function exportView(user: BrazeUser, state: BrazeState): Record<string, unknown> {
  return {
    created_at: user.created_at,
    ...(user.external_id === undefined ? {} : { external_id: user.external_id }),
    user_aliases: user.user_aliases,
    braze_id: user.braze_id,
    ...user.attributes,
    custom_attributes: user.custom_attributes,
    custom_events: summarize(state.eventsOf(user.braze_id), (event) => event.name),
    purchases: summarize(state.purchasesOf(user.braze_id), (purchase) => purchase.product_id),
  }
}

/** Sums up one user's events or purchases by name, in the order each name first occurs. */
function summarize<T extends { time: string }>(items: readonly T[], nameOf: (item: T) => string): ActivitySummary[] {
  const byName = new Map<string, ActivitySummary>()
  for (const item of items) {
    const name = nameOf(item)
    const summary = byName.get(name) ?? { name, first: item.time, last: item.time, count: 0 }
    summary.count += 1
    if (item.time < summary.first) summary.first = item.time
    if (item.time > summary.last) summary.last = item.time
    byName.set(name, summary)
  }
  return [...byName.values()]
}
