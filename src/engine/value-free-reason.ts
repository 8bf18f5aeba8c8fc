/** A reason rows were refused, in words that quote none of their values, and how many rows it covers. */
export interface ReasonCount {
  reason: string
  rows: number
}

/** What a reason becomes when it is not one of the known value-free forms. */
export const UNLISTED_REASON = 'another reason (shown with --samples)'

/* The refusals a plan reports, as the diff and the record mapper word them. */
const NULL_KEYS = /^(\d+) rows? ha(?:ve|s) a null key$/
const DUPLICATE_KEY = /^duplicate key: (\d+) rows share it$/
/** castValue's `<JSON string of the value> is not <expected>`; JSON escapes every quote inside. */
const QUOTED_VALUE = /"(?:[^"\\]|\\.)*" is not /g
/** The mapper joins a row's problems with `; `; each is one of these once its value is masked. */
const VALUE_FREE_PARTS = [/^the key is empty$/, /^[^"]+: a value that is not [^"]+$/, /^[^"]+ is (?:empty|null): [^"]+$/]

/**
 * A refusal's reason without the values it quotes, for output that everyone may read:
 * `plan: "maybe" is not a boolean` becomes `plan: a value that is not a boolean`, and a null or
 * duplicated key becomes `null key` or `duplicate key` with the rows it stands for. A reason of
 * any other form could quote a value, so it is never passed through: it becomes
 * {@link UNLISTED_REASON}.
 */
export function valueFreeReason(reason: string): ReasonCount {
  const nullKeys = NULL_KEYS.exec(reason)
  if (nullKeys !== null) return { reason: 'null key', rows: Number(nullKeys[1]) }
  const duplicate = DUPLICATE_KEY.exec(reason)
  if (duplicate !== null) return { reason: 'duplicate key', rows: Number(duplicate[1]) }
  const masked = reason.replace(QUOTED_VALUE, 'a value that is not ')
  const known = masked.split('; ').every((part) => VALUE_FREE_PARTS.some((form) => form.test(part)))
  return { reason: known ? masked : UNLISTED_REASON, rows: 1 }
}

/** Refusals grouped by their value-free reason, the most rows first. */
export function countByReason(rejections: readonly { reason: string }[]): ReasonCount[] {
  const tally = new ReasonTally()
  tally.add(rejections)
  return tally.counts()
}

/** Counts refusals by value-free reason as they stream past, page by page: every refusal, not a sample. */
export class ReasonTally {
  readonly #rows = new Map<string, number>()

  add(rejections: readonly { reason: string }[]): void {
    for (const rejection of rejections) this.addCount(valueFreeReason(rejection.reason))
  }

  /** Adds rows already counted under a value-free reason. */
  addCount({ reason, rows }: ReasonCount): void {
    this.#rows.set(reason, (this.#rows.get(reason) ?? 0) + rows)
  }

  /** The counts, the most rows first. */
  counts(): ReasonCount[] {
    return [...this.#rows].map(([reason, rows]) => ({ reason, rows })).sort((a, b) => b.rows - a.rows || a.reason.localeCompare(b.reason))
  }
}
