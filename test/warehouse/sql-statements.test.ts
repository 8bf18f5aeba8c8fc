import { describe, expect, it } from 'vitest'

import { splitStatements, STANDARD_LEXICON, trimStatement } from '../../src/warehouse/sql-statements.js'
import { SNOWFLAKE_LEXICON } from '../../src/warehouse/snowflake/snowflake-describe.js'

const count = (sql: string, lexicon = STANDARD_LEXICON) => splitStatements(sql, lexicon).statements.length

describe('splitStatements', () => {
  it('splits at semicolons outside strings, quoted identifiers and comments', () => {
    expect(count('select 1; drop table canary; select 2')).toBe(3)
    expect(count(`select 'a;b', "c;d" from t -- e;f\n/* g;h */`)).toBe(1)
    expect(count(`select 'it''s; fine'`)).toBe(1)
    expect(count(`select $$a;b$$, $tag$c;$$;d$tag$`)).toBe(1)
    expect(count(`select E'\\';' ; drop table canary`)).toBe(2)
  })

  it('ignores empty statements and statements of comments only', () => {
    expect(splitStatements('select 1;; -- done\n;', STANDARD_LEXICON).statements).toEqual(['select 1'])
    expect(count('  ; -- nothing\n')).toBe(0)
  })

  it('nests block comments where the engine does, and not where it does not', () => {
    expect(count('select 0 /* a /* b */ ; */ + 1')).toBe(1)
    expect(count('select 0 /* a /* b */ ; */ + 1', SNOWFLAKE_LEXICON)).toBe(2)
  })

  it("reads Snowflake's backslash escapes and // comments, and refuses text it cannot read to the end", () => {
    expect(count(`select 'it\\'s; fine' // a;b\n`, SNOWFLAKE_LEXICON)).toBe(1)
    expect(count(`select 'a\\'; drop table canary; select '`, STANDARD_LEXICON)).toBe(3)
    expect(splitStatements(`select 'open; drop table canary`, SNOWFLAKE_LEXICON).unterminated).toBe('a string')
    expect(splitStatements('select 1 /* open; drop table canary', SNOWFLAKE_LEXICON).unterminated).toBe('a block comment')
  })

  it('takes a $ inside a word or before a number for what it is, not a quote', () => {
    expect(count('select a$b, $1 from t; select 2')).toBe(2)
  })
})

describe('trimStatement', () => {
  it('drops the semicolon that ends a statement, and comments after it, and keeps a trailing comment', () => {
    expect(trimStatement('select 1 as id;')).toBe('select 1 as id')
    expect(trimStatement('select 1 as id; -- done\n')).toBe('select 1 as id')
    expect(trimStatement('select 1 as id -- the ids\n')).toBe('select 1 as id -- the ids')
    expect(trimStatement("select ';' as id;;")).toBe("select ';' as id")
  })

  it('leaves more than one statement for the engine to refuse', () => {
    expect(trimStatement('select 1; drop table canary;')).toBe('select 1; drop table canary')
  })
})
