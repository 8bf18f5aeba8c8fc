import { getHeapStatistics } from 'node:v8'

/** Time and memory of one measured phase, taken in the process that runs only that phase. */
export interface Measured<T> {
  value: T
  seconds: number
  /** The process's peak resident set: Node, DuckDB and everything else it holds. */
  peakRssMb: number
  /** The JS heap, sampled: rows stream through Node in pages, so it must not grow with the model. */
  peakHeapMb: number
}

/**
 * Runs `work`, timing it and sampling the heap every 20 ms (from V8's statistics: `memoryUsage()`
 * reads the RSS too, a cost the measured work would pay); the RSS peak is the process's own.
 */
export async function measured<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const heapUsed = () => getHeapStatistics().used_heap_size
  let peakHeap = heapUsed()
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, heapUsed())), 20)
  const started = performance.now()
  try {
    const value = await work()
    const seconds = (performance.now() - started) / 1000
    peakHeap = Math.max(peakHeap, heapUsed())
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
