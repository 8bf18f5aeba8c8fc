import type { AlertEvent } from './alert-event.js'
import { thresholdText } from './webhook-body.js'

/** Slack's limit on a section block's text; longer text is cut (api.slack.com/reference/block-kit/blocks#section). */
const SECTION_TEXT_LIMIT = 3000

/** What each event is called in a message's first line. */
const HEADLINES: Readonly<Record<AlertEvent['event'], string>> = {
  deletes_blocked: 'deletes blocked by the safety limits',
  failed: 'run failed',
  partial: 'run partial',
  rejected: 'rows rejected',
  drift: 'drift found by `outflow verify`',
}

/**
 * The message of a Slack alert: `text` (what notifications and clients without blocks show) and
 * Block Kit `blocks`: the headline, the reason and counts, and the names and ids as context.
 * Every text is escaped, so a value (with `includeValues`) cannot mention or link anyone.
 */
export function assembleSlackMessage(event: AlertEvent): { text: string; blocks: unknown[] } {
  const headline = `${event.sync.name}: ${HEADLINES[event.event]}`
  const details = [event.reason === undefined ? undefined : escape(event.reason), countsLine(event), ...valueLines(event)]
  const text = [headline, event.reason].filter((line) => line !== undefined).join(': ')
  return {
    text: escape(text),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: cut(`*${escape(headline)}*`) } },
      { type: 'section', text: { type: 'mrkdwn', text: cut(details.filter((line) => line !== undefined).join('\n')) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: cut(escape(contextLine(event))) }] },
    ],
  }
}

function countsLine(event: AlertEvent): string {
  const { run, drift } = event
  if (drift !== undefined) {
    const { read, inSync, missing, different, stillPresent } = drift.counts
    return `read ${read}: ${inSync} in sync, ${missing} missing, ${different} different, ${stillPresent} still present`
  }
  if (run === undefined) return ''
  const c = run.counts
  const line = `${c.added} added, ${c.changed} changed, ${c.removed} removed → ${c.synced} synced, ${c.rejected} rejected, ${c.failed} failed`
  const threshold = run.rejected === undefined ? '' : ` (alert above ${String(thresholdText(run.rejected.above))})`
  return `${line}${threshold}`
}

function valueLines(event: AlertEvent): string[] {
  const values = event.values
  if (values === undefined) return []
  const rows = (values.rejectedRows ?? []).map((r) => `• \`${escape(r.key)}\`: ${escape(r.reason)}`)
  const findings = (values.findings ?? []).map((f) => `• \`${escape(JSON.stringify(f))}\``)
  return [...(values.reason === undefined ? [] : [`why: ${escape(values.reason)}`]), ...rows, ...findings]
}

function contextLine(event: AlertEvent): string {
  const { sync, run } = event
  const where = `${sync.destination} ${sync.object} (${sync.behavior}) from ${sync.source}`
  if (run === undefined) return `${where}; verified ${event.drift?.verifiedAt.toISOString() ?? ''}; alert ${event.alert}`
  const code = run.errorCode === undefined ? '' : `; ${run.errorCode}`
  return `${where}; run ${run.id ?? 'not started'} ${run.status}${code}, ended ${run.endedAt.toISOString()}; alert ${event.alert}`
}

/** Slack's three control characters, escaped as its docs ask (api.slack.com/reference/surfaces/formatting#escaping). */
function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

function cut(text: string): string {
  return text.length <= SECTION_TEXT_LIMIT ? text : `${text.slice(0, SECTION_TEXT_LIMIT - 1)}…`
}
