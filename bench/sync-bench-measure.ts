/** Time and memory of one measured phase, taken in the process that runs only that phase. */
export interface Measured<T> {
  value: T
  seconds: number
  /** The process's peak resident set: Node, DuckDB and everything else it holds. */
  peakRssMb: number
  /** The JS heap, sampled: rows stream through Node in pages, so it must not grow with the model. */
  peakHeapMb: number
}

/** Runs `work`, timing it and sampling the heap every 20 ms; the RSS peak is the process's own. */
export async function measured<T>(work: () => Promise<T>): Promise<Measured<T>> {
  let peakHeap = process.memoryUsage().heapUsed
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20)
  const started = performance.now()
  try {
    const value = await work()
    const seconds = (performance.now() - started) / 1000
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
    return {
      value,
      seconds,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      peakHeapMb: Math.round(peakHeap / 1e6),
    }
  } finally {
    clearInterval(sampler)
  }
}
