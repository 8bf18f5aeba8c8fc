import { describe, expect, it } from 'vitest'

describe('package exports', () => {
  it('resolve to the built library and Pulumi entry by package name, as users import them', async () => {
    // Self-reference through package.json "exports": what `import 'outflow'` gives a user.
    const library = await import('outflow')
    expect(library.loadSpecs).toBeTypeOf('function')
    expect(library.BEHAVIORS).toEqual(['upsert', 'update', 'create', 'mirror', 'send'])
    const pulumi = await import('outflow/pulumi')
    expect(pulumi.loadValidSpecs).toBeTypeOf('function')
    const emulators = await import('outflow/emulators')
    expect(emulators.startLoopsEmulator).toBeTypeOf('function')
  })
})
