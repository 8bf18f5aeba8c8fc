import type { SyncPlan } from '../engine/plan-sync.js'
import type { Registration } from '../api/plan-syncs.js'
import { plural } from './plural.js'

/** A number as a plan shows it: `12,345`. */
export const count = (n: number): string => n.toLocaleString('en-US')

/** A duration as a plan shows it: `4.2 s`, `12 min`, `1.5 h`. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return 'not rate limited'
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`
  return `${(seconds / 3600).toFixed(1)} h`
}

/** Requests by rate-limit group: `12 contacts + 3 events`. */
export function requests(plan: SyncPlan): string {
  const parts = Object.entries(plan.requests).map(([group, n]) => `${count(n)} ${group}`)
  return parts.length === 0 ? '0' : parts.join(' + ')
}

/** Short warnings a reviewer must not miss; they hold counts and spec names, never a model value. */
export function notes(plan: SyncPlan, registration: Registration): string[] {
  const out: string[] = []
  if (registration === 'new') out.push('new sync')
  if (registration === 'changed') out.push('spec changed')
  if (plan.fullResync) out.push('FULL RESYNC: every row is sent again')
  if (plan.baseline > 0) out.push(`first run: ${plural(plan.baseline, 'existing row')} recorded as sent, none sent (backfill: false)`)
  if (plan.retry > 0) {
    out.push(
      `${count(plan.retry)} ${plan.retry === 1 ? 'row an earlier run could not deliver is' : 'rows an earlier run could not deliver are'} sent again`,
    )
  }
  if (plan.blocked !== undefined) out.push(`BLOCKED: ${plan.blocked}`)
  return out
}
