/** What decides whether one output stream gets colour. */
export interface ColorContext {
  /** Whether the stream is a terminal. */
  isTTY: boolean
  /** `--no-color` was given. */
  noColorFlag: boolean
  /** Where `NO_COLOR`, `FORCE_COLOR` and `TERM` are read. */
  env: Readonly<Record<string, string | undefined>>
}

/**
 * Whether to colour a stream, first rule that applies: `--no-color`, then `NO_COLOR` set to
 * anything but the empty string (https://no-color.org), turn colour off; `FORCE_COLOR` turns it
 * on even when the stream is not a terminal (a CI log that shows colours), except as `0` or
 * `false`, which turn it off; otherwise a terminal gets colour unless `TERM=dumb`. JSON output is
 * never coloured, whatever this says: commands that print it do not ask.
 */
export function colorEnabled({ isTTY, noColorFlag, env }: ColorContext): boolean {
  if (noColorFlag) return false
  if ((env['NO_COLOR'] ?? '') !== '') return false
  const force = env['FORCE_COLOR']
  if (force !== undefined) return force !== '0' && force !== 'false'
  return isTTY && env['TERM'] !== 'dumb'
}
