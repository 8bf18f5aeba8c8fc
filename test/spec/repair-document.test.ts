import { describe, expect, it } from 'vitest'

import { repairDocument } from '../../src/spec/repair-document.js'
import { validateDocumentSchema } from '../../src/spec/schema-validator.js'
import { checkSpecs, syncErrors } from '../helpers/check-specs.js'

const messages = (errors: string[]) => errors.map((e) => e.split('  ').slice(1).join('  '))

const loopsContact = (extra: string) =>
  `  source: warehouse\n  model: { table: users }\n  destination: loops\n  object: contact\n  behavior: upsert\n  key: { column: id, field: userId }\n${extra}`

describe('a document with schema errors', () => {
  it('is still checked by the rules that do not read the invalid property', () => {
    expect(messages(syncErrors(loopsContact('  mappings: email\n  maxDeletes: 5\n')))).toEqual([
      '/spec/mappings  must be a list, not a string',
      // Not "needs a mapping to `email`": that would only follow from the invalid mappings.
      '/spec/maxDeletes  `maxDeletes` applies only to behavior "mirror", not "upsert"',
    ])
  })

  it('has its references checked even when a required property is wrong', () => {
    expect(
      messages(
        syncErrors(
          loopsContact('').replace('destination: loops', 'destination: lops').replace('key: { column: id, field: userId }', 'key: id'),
        ),
      ),
    ).toEqual(['/spec/destination  no Destination named "lops" (did you mean "loops"?)', '/spec/key  must be a mapping, not a string'])
  })

  it('counts only the documents valid as written, and yields no specs', () => {
    const result = checkSpecs({
      'a.yaml': 'apiVersion: outflow/v1\nkind: Source\nmetadata: { name: w, colour: red }\nspec: { type: duckdb }\n',
    })
    expect(result.value).toBeUndefined()
    expect(result.counts).toEqual({ sources: 0, destinations: 0, syncs: 0, alerts: 0 })
    expect(result.errors).toHaveLength(1)
  })
})

describe('repairDocument', () => {
  const sync = {
    apiVersion: 'outflow/v1',
    kind: 'Sync',
    metadata: { name: 's' },
    spec: {
      source: 'w',
      model: { table: 't' },
      destination: 'd',
      object: 'user',
      behavior: 'upsert',
      key: { column: 'id', feild: 'x' },
      mappings: [{ column: 'a' }, { column: 'b', type: 'text' }],
    },
  }

  it('leaves out the deepest invalid property, a whole list for a wrong item, and changes nothing in place', () => {
    const before = structuredClone(sync)
    const repaired = repairDocument(sync, validateDocumentSchema(sync), validateDocumentSchema)
    expect(repaired?.invalid.sort()).toEqual(['/spec/key/feild', '/spec/mappings/1/type'])
    expect(validateDocumentSchema(repaired?.data)).toEqual([])
    expect(sync).toEqual(before)
    const badItem = { ...sync, spec: { ...sync.spec, key: { column: 'id' }, mappings: [{ column: 'a' }, 'b'] } }
    expect(repairDocument(badItem, validateDocumentSchema(badItem), validateDocumentSchema)?.invalid).toEqual(['/spec/mappings'])
  })

  it('gives up on a required property or a top-level part', () => {
    for (const data of [
      { ...sync, spec: { ...sync.spec, behavior: 'upsrt' } },
      { ...sync, kind: 'Synk' },
      { ...sync, apiVersion: 'outflow/v2' },
      { ...sync, metadata: { name: 'Bad_Name' } },
    ]) {
      expect(repairDocument(data, validateDocumentSchema(data), validateDocumentSchema)).toBeUndefined()
    }
  })
})
