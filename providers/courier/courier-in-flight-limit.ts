import { OutflowError } from '../../src/errors.js'

/**
 * At most `limit` tasks running at once, started in call order. One instance per connector, so the
 * cap holds across every `deliver` call the engine runs in parallel.
 */
export class InFlightLimit {
  #active = 0
  readonly #waiting: (() => void)[] = []

  constructor(readonly limit: number) {}

  /** Runs `task` once a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active < this.limit) this.#active++
    else await new Promise<void>((resolve) => this.#waiting.push(resolve))
    try {
      return await task()
    } finally {
      // Hand the slot straight to the next waiter, so that a newcomer cannot overtake it.
      const next = this.#waiting.shift()
      if (next === undefined) this.#active--
      else next()
    }
  }

  /**
   * Runs `task` for every item through the limit and returns the results in order. After a task
   * throws, the items not yet started are skipped (no request goes out for them) and, once the
   * started ones settle, the first error is thrown.
   */
  async map<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
    let failure: { error: unknown } | undefined
    const settled = await Promise.all(
      items.map((item) =>
        this.run(async () => {
          if (failure !== undefined) return undefined
          try {
            return { value: await task(item) }
          } catch (error) {
            failure ??= { error }
            return undefined
          }
        }),
      ),
    )
    if (failure !== undefined) throw failure.error
    return settled.map((outcome) => {
      if (outcome === undefined) throw new OutflowError('INTERNAL', 'a task was skipped without a failure')
      return outcome.value
    })
  }
}
