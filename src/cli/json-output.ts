/**
 * The one envelope of every command's `--json` output. The command's own fields sit beside
 * `version` and `command` at the top level, so a reader checks the version once and reads the
 * fields directly. README, "Machine-readable output", documents each command's fields.
 *
 * Versioning promise: within a version, fields are only added, never renamed, retyped or
 * removed; anything else is a new version.
 */
export const JSON_OUTPUT_VERSION = 1

/** The commands that print JSON with `--json`. */
export const JSON_COMMANDS = ['validate', 'check', 'plan', 'run', 'status', 'runs', 'rejected', 'verify', 'schedule'] as const
export type JsonCommand = (typeof JSON_COMMANDS)[number]

/** What every JSON document starts with. */
export interface JsonEnvelope {
  /** The shape's version: {@link JSON_OUTPUT_VERSION}. */
  version: typeof JSON_OUTPUT_VERSION
  /** The command that printed it. */
  command: JsonCommand
}

/**
 * A command's JSON document: the envelope, then its fields, pretty-printed with a final newline.
 * Dates become ISO 8601 strings (`Date.prototype.toJSON`); fields set to `undefined` are left out.
 */
export function jsonDocument(command: JsonCommand, fields: object): string {
  const envelope: JsonEnvelope = { version: JSON_OUTPUT_VERSION, command }
  return JSON.stringify({ ...envelope, ...fields }, null, 2) + '\n'
}

/** A time that may be unknown, as JSON shows it: an ISO 8601 string, or null. */
export function isoTimeOrNull(time: Date | undefined): string | null {
  return time === undefined ? null : time.toISOString()
}
