import { describe, expect, it } from 'vitest'

import { loadValidSpecs } from '../../src/spec/load-valid-specs.js'

describe('loadValidSpecs', () => {
  it('returns the normalized specs of a valid directory', async () => {
    const specs = await loadValidSpecs('syncs')
    expect(specs.syncs.map((s) => s.name)).toContain('loops-contacts')
  })

  it('throws SPEC_INVALID listing every problem with its location', async () => {
    const error = await loadValidSpecs('test/fixtures/specs/broken').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SPEC_INVALID', retryable: false })
    const message = (error as Error).message
    expect(message.split('\n')[0]).toBe('test/fixtures/specs/broken: 8 problems in the specs:')
    expect(message).toContain('  test/fixtures/specs/broken/unknown-key.yaml:10:3  /spec/behaviour  unknown property `behaviour`')
    expect(message.split('\n')).toHaveLength(9)
  })
})
