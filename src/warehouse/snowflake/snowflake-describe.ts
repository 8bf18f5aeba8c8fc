import { OutflowError } from '../../errors.js'
import { splitStatements, type SqlLexicon } from '../sql-statements.js'
import { subquery } from '../subquery.js'
import type { ColumnInfo } from '../warehouse-adapter.js'

/**
 * Snowflake's lexical rules: a backslash escapes inside every string, `//` starts a comment too,
 * dollar-quoted strings take no tag, and block comments do not nest.
 * https://docs.snowflake.com/en/sql-reference/data-types-text#string-constants
 */
export const SNOWFLAKE_LEXICON: SqlLexicon = {
  backslashEscapes: true,
  escapeStringPrefix: false,
  slashComments: true,
  taggedDollarQuotes: false,
  nestedBlockComments: false,
}

/** Request parameters that make Snowflake refuse a request holding more than one statement, before running any. */
export const ONE_STATEMENT = { MULTI_STATEMENT_COUNT: 1 } as const

/** Snowflake's error code when a request holds another number of statements than `MULTI_STATEMENT_COUNT` says. */
const STATEMENT_COUNT_MISMATCH = '000008'

/** Runs a statement with request parameters and gives its result columns. */
export type DescribeRequest = (sql: string, parameters: typeof ONE_STATEMENT) => Promise<ColumnInfo[]>

/**
 * The columns of a query, which must be exactly one statement. Snowflake checks it itself, as the
 * request says `MULTI_STATEMENT_COUNT = 1`. Emulators may not (fakesnow runs every statement of a
 * request, whatever the parameter says), so a conservative splitter counts first, following
 * Snowflake's lexical rules, and refuses text it cannot read to the end; `limit 0` reads no row.
 */
export async function describeSnowflakeQuery(request: DescribeRequest, query: string): Promise<ColumnInfo[]> {
  const { statements, unterminated } = splitStatements(query, SNOWFLAKE_LEXICON)
  if (unterminated !== undefined) {
    throw new OutflowError('MODEL_INVALID', `the query is not one SQL statement: it ends inside ${unterminated}`)
  }
  if (statements.length !== 1) {
    throw new OutflowError('MODEL_INVALID', `the query must be exactly one SQL statement; it holds ${statements.length}`)
  }
  try {
    return await request(`select * from ${subquery(query, 'described')} limit 0`, ONE_STATEMENT)
  } catch (error) {
    if (String((error as { code?: unknown }).code) !== STATEMENT_COUNT_MISMATCH) throw error
    const detail = error instanceof Error ? error.message : String(error)
    throw new OutflowError('MODEL_INVALID', `the query must be exactly one SQL statement: Snowflake: ${detail}`, { cause: error })
  }
}
