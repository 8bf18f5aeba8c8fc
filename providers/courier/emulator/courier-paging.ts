/** Courier's paging block: an opaque cursor for the next page, and whether there is one. */
export interface CourierPaging {
  cursor: string | null
  more: boolean
}

/** One page of `items` from an opaque `cursor` (an offset, base64url-encoded). */
export function pageOf<T>(items: readonly T[], cursor: string | null, pageSize: number): { paging: CourierPaging; page: T[] } {
  const offset = cursor === null || cursor === '' ? 0 : Number.parseInt(Buffer.from(cursor, 'base64url').toString('utf8'), 10) || 0
  const page = items.slice(offset, offset + pageSize)
  const more = offset + pageSize < items.length
  return { paging: { cursor: more ? Buffer.from(String(offset + pageSize)).toString('base64url') : null, more }, page }
}
