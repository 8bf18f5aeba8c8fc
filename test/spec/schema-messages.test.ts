import { describe, expect, it } from 'vitest'

import { formatProblem } from '../../src/spec/problem.js'
import { checkSpecs, syncErrors } from '../helpers/check-specs.js'

const VALID_SYNC = `  source: warehouse
  model: { table: users }
  destination: braze
  object: user
  behavior: upsert
  key: { column: user_id }
`

function errorsOf(text: string): string[] {
  return checkSpecs({ 'a.yaml': text }).errors.map(formatProblem)
}

describe('schema messages', () => {
  it('accepts a minimal valid sync', () => {
    expect(syncErrors(VALID_SYNC)).toEqual([])
  })

  it('names an unknown property at its key and suggests the close one', () => {
    expect(syncErrors(VALID_SYNC + '  mapings: []\n')).toEqual([
      'sync.yaml:11:3  /spec/mapings  unknown property `mapings` (did you mean "mappings"?)',
    ])
  })

  it('lists the allowed properties when nothing is close', () => {
    const [error] = syncErrors(VALID_SYNC + '  colour: red\n')
    expect(error).toContain('unknown property `colour`; allowed here: `source`, `model`')
  })

  it('names the allowed values of an enum', () => {
    const errors = syncErrors(VALID_SYNC.replace('behavior: upsert', 'behavior: upsrt'))
    expect(errors).toEqual([
      'sync.yaml:9:13  /spec/behavior  "upsrt" is not one of `upsert`, `update`, `create`, `mirror` or `send` (did you mean "upsert"?)',
    ])
  })

  it('names the supported types of a source or destination', () => {
    const errors = errorsOf('apiVersion: outflow/v1\nkind: Source\nmetadata: { name: w }\nspec: { type: mysql }\n')
    expect(errors).toEqual(['a.yaml:4:15  /spec/type  "mysql" is not one of `duckdb`, `postgres` or `snowflake`'])
  })

  it('reports a missing type tag', () => {
    const errors = errorsOf('apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: d }\nspec: { apiKey: { secret: K } }\n')
    expect(errors).toEqual([
      'a.yaml:4:7  /spec/type  missing required property `type`: expected `loops`, `braze`, `clevertap` or `courier`',
    ])
  })

  it('refuses a literal credential and says what to write instead', () => {
    const errors = errorsOf(
      'apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: c }\nspec:\n  type: courier\n  authToken: "pk_prod_123"\n',
    )
    expect(errors).toEqual([
      'a.yaml:6:14  /spec/authToken  a literal credential is not allowed in a spec: use `{ secret: NAME }` or `{ env: NAME }`',
    ])
  })

  it('refuses a credential reference naming both a secret and an env var', () => {
    const errors = errorsOf(
      'apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: c }\nspec:\n  type: courier\n  authToken: { secret: A, env: B }\n',
    )
    expect(errors).toEqual(['a.yaml:6:14  /spec/authToken  a credential reference takes exactly one of `secret` or `env`'])
  })

  it('never echoes a literal credential in the message', () => {
    const errors = errorsOf(
      'apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: c }\nspec:\n  type: courier\n  authToken: "pk_prod_SECRET_VALUE"\n',
    )
    expect(errors.join('\n')).not.toContain('SECRET_VALUE')
  })

  it('reports the mapping branch the user meant, not every branch of the union', () => {
    const errors = syncErrors(VALID_SYNC + '  mappings:\n    - { constant: { a: 1 }, field: x }\n')
    expect(errors).toEqual(['sync.yaml:12:19  /spec/mappings/0/constant  must be a string or a number or a boolean, not a mapping'])
  })

  it('says a mapping takes only one source when it has two', () => {
    const errors = syncErrors(VALID_SYNC + '  mappings:\n    - { column: a, constant: 1, field: x }\n')
    expect(errors).toEqual(['sync.yaml:12:7  /spec/mappings/0  takes only one of `column` or `constant`, not several'])
  })

  it('says what a mapping needs when it has none of its forms', () => {
    const errors = syncErrors(VALID_SYNC + '  mappings:\n    - { field: x }\n')
    expect(errors).toEqual(['sync.yaml:12:7  /spec/mappings/0  needs one of `column`, `constant` or `allColumns`'])
  })

  it('reports each mapping of a list on its own, whichever form each one aims at', () => {
    const errors = syncErrors(
      VALID_SYNC + '  mappings:\n    - { constant: [1], field: x }\n    - { column: a, colour: red }\n    - { field: y }\n',
    )
    expect(errors).toEqual([
      'sync.yaml:12:19  /spec/mappings/0/constant  must be a string or a number or a boolean, not a list',
      'sync.yaml:13:20  /spec/mappings/1/colour  unknown property `colour`; allowed here: `column`, `field` or `type`',
      'sync.yaml:14:7  /spec/mappings/2  needs one of `column`, `constant` or `allColumns`',
    ])
  })

  it('shows examples for a value of the wrong form', () => {
    const errors = syncErrors(VALID_SYNC.replace('behavior: upsert', 'behavior: mirror') + '  maxDeletes: "ten"\n')
    expect(errors).toEqual(['sync.yaml:11:15  /spec/maxDeletes  "ten" is not valid here: expected something like `5%`'])
  })

  it('checks names', () => {
    const errors = syncErrors(VALID_SYNC, 'Loops_Contacts')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(
      '/metadata/name  "Loops_Contacts" is not valid here: expected something like `warehouse`, `loops`, `loops-contacts`',
    )
  })

  it('reports a missing kind and an unknown kind', () => {
    expect(errorsOf('apiVersion: outflow/v1\nmetadata: { name: a }\n')).toEqual([
      'a.yaml:1:1  /kind  missing `kind`: expected `Source`, `Destination`, `Sync` or `Alert`',
    ])
    expect(errorsOf('apiVersion: outflow/v1\nkind: Synk\n')).toEqual([
      'a.yaml:2:7  /kind  unknown kind "Synk": expected `Source`, `Destination`, `Sync` or `Alert` (did you mean "Sync"?)',
    ])
  })

  it('reports a wrong apiVersion', () => {
    const errors = errorsOf('apiVersion: outflow/v2\nkind: Source\nmetadata: { name: w }\nspec: { type: duckdb }\n')
    expect(errors).toEqual(['a.yaml:1:13  /apiVersion  must be `outflow/v1`, not "outflow/v2"'])
  })

  it('reports a document that is not a mapping', () => {
    expect(errorsOf('- just\n- a list\n')).toEqual([
      'a.yaml:1:1  /  a document must be a mapping with `apiVersion`, `kind`, `metadata` and `spec`',
    ])
  })

  it('reports every problem of a document at once', () => {
    const errors = syncErrors('  source: warehouse\n  model: {}\n  destination: 5\n  object: user\n  behavior: upsert\n')
    expect(errors).toEqual([
      'sync.yaml:5:3  /spec/key  missing required property `key`',
      'sync.yaml:6:10  /spec/model  needs one of `sql`, `table` or `dbt`',
      'sync.yaml:7:16  /spec/destination  must be a string, not an integer',
    ])
  })
})
