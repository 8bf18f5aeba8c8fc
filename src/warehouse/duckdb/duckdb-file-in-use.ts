import { OutflowError } from '../../errors.js'

/*
 * DuckDB lets one process at a time open a database file (any number of readers, or one writer):
 * opening it while another process holds it fails with, as of @duckdb/node-api 1.5,
 * `IO Error: Could not set lock on file "<path>": Conflicting lock is held in <program> (PID <n>)`.
 * https://duckdb.org/docs/stable/connect/concurrency
 */
const LOCK_CONFLICT = /Could not set lock on file|Conflicting lock is held/
const HOLDER_PID = /\(PID (\d+)\)/

/**
 * The error to throw for a failure to open `path`: `WAREHOUSE_IN_USE` (retryable) when another
 * process holds the file, else the driver's own error. The message names the file and the
 * holder's process id, and leaves the driver's wording out; the driver's error is the cause.
 */
export function duckdbOpenError(error: unknown, path: string): unknown {
  const message = error instanceof Error ? error.message : String(error)
  if (!LOCK_CONFLICT.test(message)) return error
  const pid = HOLDER_PID.exec(message)?.[1]
  const holder = pid === undefined ? 'another process' : `another process (PID ${pid})`
  return new OutflowError('WAREHOUSE_IN_USE', `the DuckDB file ${path} is in use by ${holder}`, { cause: error, retryable: true })
}
