import type { ParsedDocument } from '../parse-yaml.js'
import type { ProblemSeverity } from '../problem.js'
import type { DestinationSpec, SourceSpec, SyncSpec } from '../../model/spec-types.js'

/** A normalized spec with the document it came from, so findings can point into the YAML. */
export interface Located<T> {
  spec: T
  document: ParsedDocument
}

/** Everything the semantic rules look at: every schema-valid document, normalized. */
export interface RuleContext {
  sources: readonly Located<SourceSpec>[]
  destinations: readonly Located<DestinationSpec>[]
  syncs: readonly Located<SyncSpec>[]
}

/** One problem a rule found, at a JSON pointer of a document. */
export interface RuleFinding {
  document: ParsedDocument
  pointer: string
  message: string
  /** Point at the property's key rather than its value. @default 'value' */
  at?: 'key' | 'value'
  /** @default 'error' */
  severity?: ProblemSeverity
}

/** A semantic check: small, pure, and reporting every problem it finds. */
export interface SpecRule {
  name: string
  check(context: RuleContext): Iterable<RuleFinding>
}
