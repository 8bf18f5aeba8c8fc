/**
 * What can hide a `;` in an engine's SQL: quoted strings and identifiers, and comments. The rules
 * differ a little between engines, so each one that needs the splitter states its own.
 */
export interface SqlLexicon {
  /** A backslash escapes the next character inside every `'…'` string (Snowflake). */
  backslashEscapes: boolean
  /** `E'…'` strings take backslash escapes, where plain ones do not (PostgreSQL, DuckDB). */
  escapeStringPrefix: boolean
  /** `//` starts a comment to the end of the line, as `--` does (Snowflake). */
  slashComments: boolean
  /** Dollar-quoted strings may carry a tag, `$tag$…$tag$` (PostgreSQL, DuckDB); otherwise only `$$…$$`. */
  taggedDollarQuotes: boolean
  /** Block comments nest (PostgreSQL, DuckDB). */
  nestedBlockComments: boolean
}

/** PostgreSQL's rules, which DuckDB's parser shares: the default where the engine is not known. */
export const STANDARD_LEXICON: SqlLexicon = {
  backslashEscapes: false,
  escapeStringPrefix: true,
  slashComments: false,
  taggedDollarQuotes: true,
  nestedBlockComments: true,
}

/** The statements of a text, as {@link splitStatements} found them. */
export interface SplitResult {
  /** Statements holding more than whitespace and comments, trimmed, without their `;`. */
  statements: string[]
  /** What was still open at the end of the text (`a string`, `a block comment`, …); undefined when nothing was. */
  unterminated: string | undefined
}

/**
 * Splits SQL text at each `;` outside strings, quoted identifiers and comments. Meant as a
 * conservative check where an engine cannot count statements itself: a text it cannot read to
 * the end (an unterminated string, say) says so in `unterminated`, for the caller to refuse.
 */
export function splitStatements(sql: string, lexicon: SqlLexicon): SplitResult {
  const statements: string[] = []
  let start = 0
  let significant = false
  let at = 0
  while (at < sql.length) {
    const token = readToken(sql, at, lexicon)
    if (token.kind === 'unterminated') {
      statements.push(sql.slice(start).trim())
      return { statements, unterminated: token.what }
    }
    if (token.kind === 'terminator') {
      if (significant) statements.push(sql.slice(start, at).trim())
      start = token.end
      significant = false
    } else if (token.kind === 'significant') {
      significant = true
    }
    at = token.end
  }
  if (significant) statements.push(sql.slice(start).trim())
  return { statements, unterminated: undefined }
}

/**
 * A single statement without the `;` that ends it (and any comment after that), so that it can be
 * wrapped in parentheses. Text that is not one readable statement comes back trimmed of trailing
 * semicolons only: the engine then refuses it with its own message.
 */
export function trimStatement(sql: string, lexicon: SqlLexicon = STANDARD_LEXICON): string {
  const { statements, unterminated } = splitStatements(sql, lexicon)
  const [only] = statements
  if (only !== undefined && statements.length === 1 && unterminated === undefined) return only
  return sql.trim().replace(/;+\s*$/, '')
}

type Token = { kind: 'significant' | 'comment' | 'space' | 'terminator'; end: number } | { kind: 'unterminated'; what: string }

function readToken(sql: string, at: number, lexicon: SqlLexicon): Token {
  const char = sql[at] ?? ''
  const next = sql[at + 1] ?? ''
  if (char === ';') return { kind: 'terminator', end: at + 1 }
  if (/\s/.test(char)) return { kind: 'space', end: at + 1 }
  if ((char === '-' && next === '-') || (lexicon.slashComments && char === '/' && next === '/')) {
    const newline = sql.indexOf('\n', at)
    return { kind: 'comment', end: newline === -1 ? sql.length : newline + 1 }
  }
  if (char === '/' && next === '*') return blockComment(sql, at, lexicon.nestedBlockComments)
  if (char === "'") return quoted(sql, at, "'", lexicon.backslashEscapes || escapePrefixed(sql, at, lexicon), 'a string')
  if (char === '"') return quoted(sql, at, '"', false, 'a quoted identifier')
  if (char === '$') return dollarQuoted(sql, at, lexicon) ?? { kind: 'significant', end: at + 1 }
  return { kind: 'significant', end: at + 1 }
}

/** Whether the string at `at` is an `E'…'` string: the `E` stands alone, not at the end of a word. */
function escapePrefixed(sql: string, at: number, lexicon: SqlLexicon): boolean {
  return lexicon.escapeStringPrefix && /[eE]/.test(sql[at - 1] ?? '') && !isWordChar(sql[at - 2] ?? '')
}

/** A quoted string or identifier; a doubled quote is one quote character. */
function quoted(sql: string, at: number, quote: string, backslashEscapes: boolean, what: string): Token {
  let index = at + 1
  while (index < sql.length) {
    const char = sql[index]
    if (backslashEscapes && char === '\\') index += 2
    else if (char === quote && sql[index + 1] === quote) index += 2
    else if (char === quote) return { kind: 'significant', end: index + 1 }
    else index += 1
  }
  return { kind: 'unterminated', what }
}

function blockComment(sql: string, at: number, nested: boolean): Token {
  let depth = 0
  let index = at
  while (index < sql.length) {
    if (sql.startsWith('/*', index) && (nested || depth === 0)) {
      depth += 1
      index += 2
    } else if (sql.startsWith('*/', index)) {
      depth -= 1
      index += 2
      if (depth === 0) return { kind: 'comment', end: index }
    } else {
      index += 1
    }
  }
  return { kind: 'unterminated', what: 'a block comment' }
}

/** A `$$…$$` (or `$tag$…$tag$`) string; undefined when the `$` starts no such string (`$1`, `a$b`). */
function dollarQuoted(sql: string, at: number, lexicon: SqlLexicon): Token | undefined {
  if (isWordChar(sql[at - 1] ?? '')) return undefined
  const tag = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y
  tag.lastIndex = at
  const opening = tag.exec(sql)
  if (opening === null || (!lexicon.taggedDollarQuotes && opening[1] !== undefined)) return undefined
  const delimiter = opening[0]
  const close = sql.indexOf(delimiter, at + delimiter.length)
  return close === -1 ? { kind: 'unterminated', what: 'a dollar-quoted string' } : { kind: 'significant', end: close + delimiter.length }
}

function isWordChar(char: string): boolean {
  return /[A-Za-z0-9_$]/.test(char)
}
