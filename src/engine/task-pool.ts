/**
 * Runs tasks with at most `limit` in flight. `submit` waits for a free slot, so a producer that
 * reads a cursor never runs ahead of delivery by more than `limit` tasks. The first task that
 * throws fails every later `submit` and `drain`: the run stops taking new work.
 */
export class TaskPool {
  private readonly running = new Set<Promise<void>>()
  private failure: { error: unknown } | undefined
  private readonly limit: number

  constructor(limit: number) {
    this.limit = Math.max(1, limit)
  }

  async submit(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running)
    this.throwIfFailed()
    const run: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error }
      })
      .finally(() => this.running.delete(run))
    this.running.add(run)
  }

  /** Waits for every task; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.running)
    this.throwIfFailed()
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error
  }
}
