import { OutflowError } from '../errors.js'

/*
 * Checking a spec takes memory many times its size (a YAML tree with positions, then plain data,
 * then the normalized specs), so one oversized file could stop `validate` for every other one.
 * A spec file is a few kilobytes; the limit stops only what is not one.
 */

/** The size limit of one spec file when none is given: 1 MiB. */
export const DEFAULT_MAX_SPEC_FILE_SIZE = 1024 * 1024

/** The largest limit that may be set: beyond it checking one file could take gigabytes of memory. */
export const MAX_SPEC_FILE_SIZE_CEILING = 16 * 1024 * 1024

/** The environment variable that sets the limit for every command (`--max-file-size` overrides it for `validate`). */
export const MAX_FILE_SIZE_ENV = 'OUTFLOW_MAX_FILE_SIZE'

const UNIT_BYTES: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kib: 1024,
  kb: 1024,
  k: 1024,
  mib: 1024 * 1024,
  mb: 1024 * 1024,
  m: 1024 * 1024,
}

/**
 * Reads a size limit: bytes (`65536`) or a whole number of `KiB` or `MiB` (`512KiB`, `2MiB`; `k`
 * and `M` are read the same way). Undefined when it is not one, or is 0 or above the ceiling.
 */
export function parseFileSize(text: string): number | undefined {
  const match = /^(\d{1,12})\s*([a-z]*)$/i.exec(text.trim())
  const unit = UNIT_BYTES[(match?.[2] ?? '').toLowerCase()]
  if (match === null || unit === undefined) return undefined
  const bytes = Number(match[1]) * unit
  return bytes >= 1 && bytes <= MAX_SPEC_FILE_SIZE_CEILING ? bytes : undefined
}

/** Why a size given as `text` (from `source`, such as `--max-file-size`) is refused. */
export function describeBadFileSize(source: string, text: string): string {
  return `invalid ${source} "${text}": expected a size from 1 byte to ${formatBytes(MAX_SPEC_FILE_SIZE_CEILING)}, in bytes or with KiB or MiB (such as 2MiB)`
}

/**
 * The limit when the caller gives none: {@link MAX_FILE_SIZE_ENV} when set, else
 * {@link DEFAULT_MAX_SPEC_FILE_SIZE}. Throws `SPEC_INVALID` when the variable holds no valid size,
 * rather than silently checking with another limit than the one asked for.
 */
export function maxFileSizeFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const text = env[MAX_FILE_SIZE_ENV]
  if (text === undefined || text === '') return DEFAULT_MAX_SPEC_FILE_SIZE
  const bytes = parseFileSize(text)
  if (bytes === undefined) throw new OutflowError('SPEC_INVALID', describeBadFileSize(MAX_FILE_SIZE_ENV, text))
  return bytes
}

/** `1 MiB`, `512 KiB`, `50.0 MiB`, `900 bytes`: how limits and sizes read in messages. */
export function formatBytes(bytes: number): string {
  if (bytes === 1) return '1 byte'
  const [unit, size] = bytes >= 1024 * 1024 ? ['MiB', bytes / (1024 * 1024)] : bytes >= 1024 ? ['KiB', bytes / 1024] : ['bytes', bytes]
  return `${Number.isInteger(size) ? String(size) : size.toFixed(1)} ${unit}`
}
