import type { ParsedDocument } from '../parse-yaml.js'
import type { SourceDocument, SyncDocument } from '../../model/spec-document-types.generated.js'

/*
 * Some rules must tell what the user wrote from what normalize defaulted (an explicit
 * `key.field`, a `schedule` with nothing in it). They read it here; rules only ever see
 * documents that passed the schema (some once their invalid properties were left out), so the
 * casts hold.
 */

/** The sync as written. */
export function writtenSync(document: ParsedDocument): SyncDocument {
  return document.data as SyncDocument
}

/** The source as written. */
export function writtenSource(document: ParsedDocument): SourceDocument {
  return document.data as SourceDocument
}
