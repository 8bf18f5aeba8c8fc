import { describe, expect, it } from 'vitest'

import { loadSpecs } from '../../src/spec/load-specs.js'

const DIR = 'test/fixtures/specs/broken'

describe('a directory of broken specs', () => {
  it('reports every problem at once, each with its file, line and column', async () => {
    const result = await loadSpecs(DIR)
    expect(result.value).toBeUndefined()
    const found = result.errors.map((e) => ({
      at: `${e.file.replace(`${DIR}/`, '')}:${e.line}:${e.column}`,
      pointer: e.pointer,
      message: e.message,
    }))
    expect(found).toEqual([
      {
        at: 'bad-cron.yaml:12:21',
        pointer: '/spec/schedule/cron',
        message: 'invalid cron expression "61 * * * *": Invalid value for minute: 61',
      },
      {
        at: 'key-not-identifier.yaml:11:32',
        pointer: '/spec/key/field',
        message: '"email" is not an identifier of Braze user: use `external_id`',
      },
      {
        at: 'literal-secret.yaml:7:11',
        pointer: '/spec/apiKey',
        message: 'a literal credential is not allowed in a spec: use `{ secret: NAME }` or `{ env: NAME }`',
      },
      { at: 'unknown-key.yaml:6:3', pointer: '/spec/behavior', message: 'missing required property `behavior`' },
      { at: 'unknown-key.yaml:10:3', pointer: '/spec/behaviour', message: 'unknown property `behaviour` (did you mean "behavior"?)' },
      {
        at: 'unresolved-destination.yaml:8:16',
        pointer: '/spec/destination',
        message: 'no Destination named "brazee" (did you mean "braze"?)',
      },
      {
        at: 'wrong-behavior.yaml:10:13',
        pointer: '/spec/behavior',
        message: 'Braze event does not support behavior "upsert"; it supports `send`',
      },
      {
        at: 'yaml-syntax.yaml:8:3',
        pointer: '',
        message: 'YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
      },
    ])
  })

  it('still counts the documents that were valid', async () => {
    const result = await loadSpecs(DIR)
    expect(result.counts).toEqual({ sources: 1, destinations: 1, syncs: 4, alerts: 0 })
  })
})
