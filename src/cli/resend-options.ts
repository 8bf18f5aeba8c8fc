import { readFile } from 'node:fs/promises'

import { MAX_RESEND_KEYS, resendOf, type ResendOptionNames } from '../api/resend-options.js'
import type { Resend } from '../warehouse/diff/resend.js'
import { plural } from './plural.js'
import { UsageError } from './usage-error.js'

/** `outflow run`'s `--full-resync`, `--keys` (each given adds keys) and `--keys-file`, as parsed. */
export interface ResendCliOptions {
  fullResync?: boolean
  keys?: string[]
  keysFile?: string
}

/** How the run's help describes them. */
export const RESEND_OPTION_HELP = {
  fullResync: 'send every row of the model again, as if the sync had never run (not for event syncs)',
  keys: `send only the rows of these keys (the sync's key column; comma-separated, at most ${String(MAX_RESEND_KEYS)}), changed or not; one sync named`,
  keysFile: 'as --keys, with the keys read from a file, one per line',
} as const

const CLI_NAMES: ResendOptionNames = { fullResync: '--full-resync', keys: '--keys', due: '--due', dbtModels: '--dbt-models' }

/** Commander's collector for a repeatable option: `--keys a,b --keys c` gives `['a,b', 'c']`. */
export function collectKeys(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

/**
 * The resend `outflow run` is asked for, or undefined. Keys are split on commas (`--keys`) or
 * lines (`--keys-file`), with surrounding spaces and empty entries dropped. A file that cannot be
 * read, or keys that do not fit the rest of the command line, are usage errors (exit 2).
 */
export async function resendOfCli(
  syncs: readonly string[],
  options: ResendCliOptions & { due?: boolean; dbtModels?: string },
): Promise<Resend | undefined> {
  const given = options.keys !== undefined || options.keysFile !== undefined
  const keys = [...(options.keys ?? []).flatMap((list) => list.split(',')), ...(await readKeysFile(options.keysFile))]
    .map((key) => key.trim())
    .filter((key) => key !== '')
  return resendOf(
    { fullResync: options.fullResync, keys: given ? keys : undefined, syncs, due: options.due, dbtModels: options.dbtModels },
    CLI_NAMES,
  )
}

async function readKeysFile(path: string | undefined): Promise<string[]> {
  if (path === undefined) return []
  try {
    return (await readFile(path, 'utf8')).split(/\r?\n/)
  } catch (error) {
    throw new UsageError(`cannot read --keys-file "${path}": ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * A line per sync of a `--keys` run naming the keys no model row has (nothing was sent for them),
 * each quoted as JSON so that a key with spaces or quotes reads unambiguously.
 */
export function formatMissingKeys(entries: readonly { sync: string; missingKeys?: readonly string[] | undefined }[]): string {
  return entries
    .filter((entry) => (entry.missingKeys?.length ?? 0) > 0)
    .map(({ sync, missingKeys = [] }) => {
      const keys = missingKeys.map((key) => JSON.stringify(key)).join(', ')
      return `${sync}: no row of the model has ${missingKeys.length === 1 ? 'the key' : `these ${plural(missingKeys.length, 'key')}`}, nothing sent for ${missingKeys.length === 1 ? 'it' : 'them'}: ${keys}\n`
    })
    .join('')
}
