import type { SyncRunResult } from '../engine/sync-run-result.js'
import { runDemo, type DemoOutcome } from './run-demo.js'

/** Where the demo writes: its story line by line, and what went wrong. */
export interface DemoIO {
  print: (line: string) => void
  stderr: (text: string) => void
}

/**
 * `npm run demo [specs-dir]`: runs the demo and returns its exit status. It is 1 when the demo
 * stops on an error and when any sync of any round does not succeed, so a CI step or a newcomer
 * sees a broken demo fail instead of reading a row of `failed` lines under exit status 0.
 */
export async function demoCommand(specsDir: string, io: DemoIO): Promise<number> {
  let outcome: DemoOutcome
  try {
    outcome = await runDemo(specsDir, io.print)
  } catch (error) {
    io.stderr(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
  const failed = unsuccessfulRuns(outcome)
  if (failed.length === 0) return 0
  const names = [...new Set(failed.map((r) => `${r.sync} (${r.status})`))].join(', ')
  io.stderr(`demo failed: ${failed.length} sync runs did not succeed: ${names}\n`)
  return 1
}

function unsuccessfulRuns(outcome: DemoOutcome): SyncRunResult[] {
  return [...outcome.first, ...outcome.second, ...outcome.third].filter((result) => result.status !== 'succeeded')
}
