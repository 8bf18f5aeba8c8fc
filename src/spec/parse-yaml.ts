import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node, type YAMLError } from 'yaml'

import { fromPointer } from './json-pointer.js'
import type { SpecProblem } from './problem.js'

/** A 1-based line and column. */
export interface SourcePosition {
  line: number
  column: number
}

/** One YAML document of a spec file, as plain data, with a way back to its source positions. */
export interface ParsedDocument {
  file: string
  /** 0-based index of the document within its file. */
  index: number
  data: unknown
  /**
   * Position of the value at `pointer`, or of its key when `at` is `key`. When the pointer does
   * not exist (a required property is missing), the position of its nearest existing parent.
   */
  locate(pointer: string, at?: 'key' | 'value'): SourcePosition
}

/** What {@link parseSpecFile} found: documents that parsed, and problems with those that did not. */
export interface ParsedSpecFile {
  documents: ParsedDocument[]
  problems: SpecProblem[]
}

/**
 * How far a document's aliases may expand, in the `yaml` package's measure (uses of an anchor
 * times the aliases inside it). Shared mappings stay far below; an alias bomb ("billion laughs")
 * that would take gigabytes passes it within a few levels.
 */
export const MAX_ALIAS_COUNT = 1000

/**
 * Parses a YAML file that may hold several documents (separated by `---`). Pure: the caller reads
 * the file. A document with a YAML error is reported and left out, so the others are still checked.
 */
export function parseSpecFile(file: string, text: string): ParsedSpecFile {
  const lineCounter = new LineCounter()
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  const documents: ParsedDocument[] = []
  const problems: SpecProblem[] = []
  const report = (offset: number, message: string) =>
    problems.push({ severity: 'error', file, ...position(offset), pointer: '', message, rule: 'yaml' })
  // YAML 1.2 core schema: `on`, `yes` and dates stay strings; duplicate keys are errors.
  const yamlDocuments = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const list = Array.isArray(yamlDocuments) ? yamlDocuments : []
  list.forEach((document, index) => {
    if (document.errors.length > 0) {
      for (const error of document.errors) report(error.pos[0], `YAML syntax error: ${describeYamlError(error)}`)
      return
    }
    const root = document.contents
    const data = toPlainData(document)
    if ('failure' in data) return report(firstAliasOffset(document) ?? nodeStart(root ?? document), data.failure)
    if (root === null || data.value === null || data.value === undefined) return // an empty document, such as after a trailing `---`
    documents.push({
      file,
      index,
      data: data.value,
      locate: (pointer, at = 'value') => position(offsetOf(root, fromPointer(pointer), at)),
    })
  })
  return { documents, problems }
}

/** The document as plain data, or why it cannot be: too many aliases, or one that names no anchor. */
function toPlainData(document: Document.Parsed): { value: unknown } | { failure: string } {
  try {
    return { value: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown }
  } catch (error) {
    const message = error instanceof Error ? firstLine(error.message) : String(error)
    if (message.startsWith('Excessive alias count')) {
      return {
        failure: `YAML aliases expand too far (over ${MAX_ALIAS_COUNT}, as counted by the YAML parser): the document is refused, as expanding it could exhaust memory`,
      }
    }
    return { failure: `YAML error: ${message}` }
  }
}

function firstAliasOffset(document: Document.Parsed): number | undefined {
  let offset: number | undefined
  visit(document, {
    Alias(_key, node) {
      offset = node.range?.[0]
      return visit.BREAK
    },
  })
  return offset
}

/*
 * One YAML message quotes the text it failed on at length: a block scalar header
 * (`key: >sk-live-…`), which may be a pasted credential. It is named, not quoted.
 */
function describeYamlError(error: YAMLError): string {
  const message = firstLine(error.message)
  return message.startsWith('Block scalar header includes extra characters')
    ? 'Block scalar header includes extra characters (after `|` or `>`, only an indentation digit and `+` or `-` may follow)'
    : message
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message
}

/** Walks the YAML node tree along `segments`; stops at the deepest node that exists. */
function offsetOf(root: Node, segments: readonly string[], at: 'key' | 'value'): number {
  let node: Node = root
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment)
      if (pair === undefined) return nodeStart(node)
      const key = pair.key as Node
      if (last && at === 'key') return nodeStart(key)
      if (pair.value === null || !isNodeLike(pair.value)) return nodeStart(key)
      node = pair.value
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)]
      if (item === undefined || !isNodeLike(item)) return nodeStart(node)
      node = item
    } else {
      return nodeStart(node)
    }
  }
  return nodeStart(node)
}

function isNodeLike(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value
}

function nodeStart(node: { range?: readonly number[] | null | undefined }): number {
  return node.range?.[0] ?? 0
}
