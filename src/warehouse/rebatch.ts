/** Regroups a stream of arrays of any sizes into arrays of `size` (the last may be shorter). */
export async function* rebatch<T>(source: AsyncIterable<readonly T[]>, size: number): AsyncIterable<T[]> {
  let batch: T[] = []
  for await (const chunk of source) {
    for (const item of chunk) {
      batch.push(item)
      if (batch.length >= size) {
        yield batch
        batch = []
      }
    }
  }
  if (batch.length > 0) yield batch
}
