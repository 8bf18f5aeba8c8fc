/** Where and how the CLI writes; the process streams in production, buffers in tests. */
export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Whether stderr is a terminal: long commands then draw a progress bar instead of log lines. */
  isTTY?: boolean
  /** Whether stdout is a terminal: results are then coloured (see `color`). */
  stdoutIsTTY?: boolean
  /** The width of stderr when it is a terminal, read at each redraw since a window can be resized. */
  stderrColumns?: () => number | undefined
  /** Where `NO_COLOR`, `FORCE_COLOR` and `TERM` are read; none when omitted (tests). */
  env?: Readonly<Record<string, string | undefined>>
  /** Whether each stream gets colour; `main` sets it from the streams, the environment and `--no-color`. */
  color?: { stdout: boolean; stderr: boolean }
  /** `--verbose`: errors with their stacks and causes, runs with their ids and request counts; set by `main`. */
  verbose?: boolean
}

/** The CLI's exit codes. */
export const EXIT = {
  ok: 0,
  /** The command ran and found problems (invalid specs, a failed sync). */
  failed: 1,
  /** The command could not run as asked (unknown option, missing argument). */
  usage: 2,
  /** Stopped by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it). */
  cancelled: 130,
} as const

/** Writes to the process's own streams. */
export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY,
  stdoutIsTTY: process.stdout.isTTY,
  stderrColumns: () => process.stderr.columns,
  env: process.env,
}
