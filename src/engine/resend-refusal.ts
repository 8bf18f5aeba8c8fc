import type { SyncSpec } from '../model/spec-types.js'
import type { Resend } from '../warehouse/diff/resend.js'

/**
 * Why a sync cannot send rows again, or undefined when it can. An event sync (`send`) cannot: its
 * events are sent once and never again (the vendors store a repeated event twice), so neither a
 * full resync nor a resend of keys applies to it.
 */
export function resendRefusal(sync: Pick<SyncSpec, 'name' | 'behavior'>, resend: Resend): string | undefined {
  if (sync.behavior !== 'send') return undefined
  const what = resend.kind === 'all' ? 'a full resync' : 'a resend of keys'
  return `sync "${sync.name}" sends events (behavior send), each once and never again, so ${what} does not apply to it`
}
