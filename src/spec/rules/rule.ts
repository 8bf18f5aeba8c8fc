import type { ParsedDocument } from '../parse-yaml.js'
import type { ProblemSeverity } from '../problem.js'
import type { AlertSpec, DestinationSpec, SourceSpec, SyncSpec } from '../../model/spec-types.js'
import type { DbtModelResolution, DbtSourceProject } from '../resolve-dbt-models.js'

/** A normalized spec with the document it came from, so findings can point into the YAML. */
export interface Located<T> {
  spec: T
  document: ParsedDocument
}

/**
 * A document whose schema errors left nothing to normalize (a required property is missing or
 * wrong, or the kind is unknown). The rules cannot check it, but it exists: a sync that names it
 * is not told that it does not, and its own references are still checked where they are sound.
 */
export interface UncheckedDocument {
  document: ParsedDocument
  /** `kind` as written, when it is a string (it may be unknown). */
  kind: string | undefined
  /** `metadata.name` as written, when it is a string. */
  name: string | undefined
  /** JSON pointers of its schema errors. */
  invalid: readonly string[]
}

/**
 * Everything the semantic rules look at: every document that passed the schema, or passed it
 * once the properties with schema errors were left out, normalized; and those that could not be.
 */
export interface RuleContext {
  sources: readonly Located<SourceSpec>[]
  destinations: readonly Located<DestinationSpec>[]
  syncs: readonly Located<SyncSpec>[]
  alerts: readonly Located<AlertSpec>[]
  unchecked: readonly UncheckedDocument[]
  /** The dbt project of each Source that names one, as read. */
  dbtProjects: readonly DbtSourceProject[]
  /** For each sync document whose model is a dbt model: what it resolved to. */
  dbtModels: ReadonlyMap<ParsedDocument, DbtModelResolution>
  /** Whether a dbt manifest that cannot be read is an error (see `LoadSpecsOptions.dbtManifests`). */
  dbtManifestsRequired: boolean
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
  /**
   * The properties of a document (JSON pointers, as written) that the rule's findings on it
   * depend on. When a document has a schema error at, inside or above one of them, the rule's
   * findings on that document are left out: they would follow from the schema error, not add to
   * it. A finding's own pointer always counts as read.
   */
  reads: readonly string[]
  check(context: RuleContext): Iterable<RuleFinding>
}
