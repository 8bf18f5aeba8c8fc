/** Where the CLI writes; the process streams in production, buffers in tests. */
export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Whether stderr is a terminal: long commands then draw a progress bar instead of log lines. */
  isTTY?: boolean
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
}
