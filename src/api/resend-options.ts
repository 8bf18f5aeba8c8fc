import { resendRefusal } from '../engine/resend-refusal.js'
import type { RunnableSync } from '../engine/runnable-sync.js'
import { OutflowError } from '../errors.js'
import type { Resend } from '../warehouse/diff/resend.js'

/**
 * The most keys one run sends: they are bound parameters of a statement or two, and sending a
 * few rows is for trying a mapping on real data. Beyond it, a full resync sends every row.
 */
export const MAX_RESEND_KEYS = 1000

/** What asks a run to send rows again, as `runSyncs` takes it, and what it must go with. */
export interface ResendOptions {
  fullResync?: boolean | undefined
  keys?: readonly string[] | undefined
  syncs?: readonly string[] | undefined
  due?: boolean | undefined
  dbtModels?: string | undefined
}

/** How the options are named where they were given: `fullResync` in the API, `--full-resync` on the command line. */
export interface ResendOptionNames {
  fullResync: string
  keys: string
  due: string
  dbtModels: string
}

const API_NAMES: ResendOptionNames = { fullResync: 'fullResync', keys: 'keys', due: 'due', dbtModels: 'dbtModels' }

/**
 * The resend the options ask for (undefined: only the changes), or `OPTION_INVALID` saying what
 * is wrong: both at once, `keys` without exactly one sync named (or with `due` or `dbtModels`),
 * no key, an empty key, more than {@link MAX_RESEND_KEYS}. Keys given twice count once.
 */
export function resendOf(options: ResendOptions, names: ResendOptionNames = API_NAMES): Resend | undefined {
  const { keys } = options
  if (keys === undefined) return options.fullResync === true ? { kind: 'all' } : undefined
  const invalid = (message: string) => new OutflowError('OPTION_INVALID', `${names.keys}: ${message}`)
  if (options.fullResync === true) throw invalid(`goes without ${names.fullResync}, which already sends every row`)
  const named = options.syncs?.length ?? 0
  if (named !== 1) throw invalid(`name exactly one sync, whose keys these are (${String(named)} named)`)
  for (const other of ['due', 'dbtModels'] as const) {
    if (options[other] !== undefined && options[other] !== false) throw invalid(`goes without ${names[other]}: the sync is named`)
  }
  const unique = [...new Set(keys)]
  if (unique.length === 0) throw invalid('no key given')
  if (unique.some((key) => typeof key !== 'string' || key === '')) throw invalid('a key is empty (or not a string)')
  if (unique.length > MAX_RESEND_KEYS) {
    throw invalid(`${String(unique.length)} keys, at most ${String(MAX_RESEND_KEYS)} at once (a full resync sends every row)`)
  }
  return { kind: 'keys', keys: unique }
}

/** Throws `OPTION_INVALID` naming every sync of `runnables` that `resend` does not apply to (event syncs). */
export function refuseResendOfEvents(runnables: readonly RunnableSync[], resend: Resend | undefined): void {
  if (resend === undefined) return
  const refusals = runnables.flatMap((r) => resendRefusal(r.sync, resend) ?? [])
  if (refusals.length === 0) return
  const hint = resend.kind === 'all' && refusals.length < runnables.length ? '; name the syncs to resync, leaving out event syncs' : ''
  throw new OutflowError('OPTION_INVALID', `${refusals.join('; ')}${hint}`)
}
