import { describe, expect, it } from 'vitest'

import { parseSpecFile } from '../../src/spec/parse-yaml.js'

describe('parseSpecFile', () => {
  it('reads every document of a multi-document file, skipping empty ones', () => {
    const { documents, problems } = parseSpecFile('a.yaml', 'kind: Source\n---\nkind: Sync\n---\n')
    expect(problems).toEqual([])
    expect(documents.map((d) => [d.index, d.data])).toEqual([
      [0, { kind: 'Source' }],
      [1, { kind: 'Sync' }],
    ])
  })

  it('locates values and keys by JSON pointer, 1-based', () => {
    const text = 'kind: Sync\nspec:\n  mappings:\n    - column: a\n    - { column: b, field: x }\n'
    const [document] = parseSpecFile('a.yaml', text).documents
    expect(document?.locate('/spec/mappings/1/field')).toEqual({ line: 5, column: 27 })
    expect(document?.locate('/spec/mappings/1/field', 'key')).toEqual({ line: 5, column: 20 })
    expect(document?.locate('/spec', 'key')).toEqual({ line: 2, column: 1 })
  })

  it('falls back to the nearest existing parent for a pointer that does not exist', () => {
    const [document] = parseSpecFile('a.yaml', 'kind: Sync\nspec:\n  source: w\n').documents
    expect(document?.locate('/spec/behavior')).toEqual({ line: 3, column: 3 })
  })

  it('locates documents after the first at their own lines', () => {
    const { documents } = parseSpecFile('a.yaml', 'kind: A\n---\nkind: B\nspec: { x: 1 }\n')
    expect(documents[1]?.locate('/spec/x')).toEqual({ line: 4, column: 12 })
  })

  it('reports a syntax error with its line and keeps the other documents', () => {
    const { documents, problems } = parseSpecFile('a.yaml', 'kind: A\n---\nkind: [B\n---\nkind: C\n')
    expect(documents.map((d) => d.data)).toEqual([{ kind: 'A' }, { kind: 'C' }])
    expect(problems).toHaveLength(1)
    // The unclosed `[` is noticed where the document ends, on the `---` line.
    expect(problems[0]).toMatchObject({ file: 'a.yaml', line: 4, rule: 'yaml' })
    expect(problems[0]?.message).toMatch(/^YAML syntax error: /)
  })

  it('rejects duplicate keys, which YAML would otherwise silently let the last one win', () => {
    const { problems } = parseSpecFile('a.yaml', 'kind: Sync\nkind: Source\n')
    expect(problems[0]?.message).toMatch(/unique/)
    expect(problems[0]?.line).toBe(2)
  })

  it('keeps YAML 1.1 booleans such as `on` as strings (YAML 1.2)', () => {
    const [document] = parseSpecFile('a.yaml', 'on: [create]\nyes: no\n').documents
    expect(document?.data).toEqual({ on: ['create'], yes: 'no' })
  })

  it('refuses aliases that expand too far, at the first alias, and keeps the other documents', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (const [i, name] of ['b', 'c', 'd', 'e'].entries())
      bomb.push(
        `${name}: &${name} [${Array(10)
          .fill(`*${'abcd'[i] ?? ''}`)
          .join(', ')}]`,
      )
    const { documents, problems } = parseSpecFile('a.yaml', `kind: A\n---\n${bomb.join('\n')}\n`)
    expect(documents.map((d) => d.data)).toEqual([{ kind: 'A' }])
    expect(problems).toEqual([
      expect.objectContaining({
        line: 4,
        column: 8,
        message: expect.stringMatching(/^YAML aliases expand too far \(over 1000/) as unknown,
      }),
    ])
  })

  it('keeps a few aliases, as used for shared mappings', () => {
    const { documents, problems } = parseSpecFile('a.yaml', 'a: &m { column: email }\nb: [*m, *m]\n')
    expect(problems).toEqual([])
    expect(documents[0]?.data).toEqual({ a: { column: 'email' }, b: [{ column: 'email' }, { column: 'email' }] })
  })

  it('does not quote the text after a block scalar indicator, which may be a pasted key', () => {
    const { problems } = parseSpecFile('a.yaml', 'apiKey:\n  secret: >sk_live_TOKEN\n')
    expect(problems.map((p) => p.message)).toEqual([
      'YAML syntax error: Block scalar header includes extra characters (after `|` or `>`, only an indentation digit and `+` or `-` may follow)',
    ])
  })
})
