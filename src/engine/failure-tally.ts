import type { FailureCode } from '../destinations/destination.js'

/** Rows that failed in a run, by cause, with the first message of each: what a `partial` run says. */
export class FailureTally {
  readonly #byCode = new Map<FailureCode, { rows: number; message: string }>()

  add(code: FailureCode, message: string): void {
    const entry = this.#byCode.get(code)
    if (entry === undefined) this.#byCode.set(code, { rows: 1, message })
    else entry.rows++
  }

  /** The cause that failed most rows, with its message; undefined when none failed. */
  main(): { code: FailureCode; rows: number; message: string } | undefined {
    let main: { code: FailureCode; rows: number; message: string } | undefined
    for (const [code, entry] of this.#byCode) if (main === undefined || entry.rows > main.rows) main = { code, ...entry }
    return main
  }
}
