import type { dynamic } from '@pulumi/pulumi'

import { isRecord } from '../../util/is-record.js'
import { UNKNOWN_VALUE } from './unknown-value.js'

/** Collects `check` failures: each names the input property and says what was expected. */
export class CheckFailures {
  readonly list: dynamic.CheckFailure[] = []

  add(property: string, reason: string): void {
    this.list.push({ property, reason })
  }

  /** `value` as a spec of `kind` (or unknown, in a preview); records a failure otherwise. */
  spec(property: string, value: unknown, kind: string): value is Record<string, unknown> & { name: string } {
    if (value === UNKNOWN_VALUE) return false
    if (isRecord(value) && value['kind'] === kind && typeof value['name'] === 'string') return true
    this.add(property, `expected a ${kind} spec (an object with kind "${kind}" and a name), as loadValidSpecs returns it`)
    return false
  }

  /** Records a failure unless `value` is a map of strings (or unknown). */
  stringMap(property: string, value: unknown): void {
    if (value === UNKNOWN_VALUE || value === undefined) return
    if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string' || v === UNKNOWN_VALUE)) {
      this.add(property, 'expected a map of names to string values')
    }
  }
}
