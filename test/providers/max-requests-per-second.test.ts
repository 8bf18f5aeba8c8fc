import { describe, expect, it } from 'vitest'

import { createConnector } from '../../providers/connectors.js'
import { readerFor } from '../../providers/readers.js'
import type { DestinationSpecDocument } from '../../src/model/spec-document-types.generated.js'
import type { DestinationSpec } from '../../src/model/spec-types.js'

/*
 * A connection's `maxRequestsPerSecond`, as every command gets it: the rate limits of the connector
 * built from the connection (run, plan, check and the Pulumi provider make their request gates and
 * estimates from them), and of its reader (verify).
 */

const CONNECTIONS = {
  loops: { type: 'loops', apiKey: { secret: 'K' } },
  braze: { type: 'braze', restEndpoint: 'https://rest.iad-01.braze.com', apiKey: { secret: 'K' } },
  clevertap: { type: 'clevertap', accountId: 'A', passcode: { secret: 'K' }, region: 'eu1' },
  courier: { type: 'courier', authToken: { secret: 'K' } },
} as const satisfies Record<string, DestinationSpecDocument>

async function rateLimitsOf(type: keyof typeof CONNECTIONS, maxRequestsPerSecond?: number) {
  const connection = { ...CONNECTIONS[type], ...(maxRequestsPerSecond === undefined ? {} : { maxRequestsPerSecond }) }
  return (await createConnector({ name: type, connection })).rateLimits
}

describe('maxRequestsPerSecond', () => {
  it('leaves the documented limits as they are when not set', async () => {
    expect(await rateLimitsOf('loops')).toEqual([{ group: 'default', requests: 10, perMs: 1000 }])
    expect(await rateLimitsOf('clevertap')).toEqual([])
    expect(await rateLimitsOf('courier')).toEqual([{ group: 'lists', requests: 20, perMs: 60_000 }])
  })

  it('lowers every group above it to that many requests a second; a lower group keeps its limit and window', async () => {
    expect(await rateLimitsOf('loops', 4)).toEqual([{ group: 'default', requests: 4, perMs: 1000 }])
    expect(await rateLimitsOf('loops', 50)).toEqual([{ group: 'default', requests: 10, perMs: 1000 }])
    // Braze: track 1,000/s, delete 333/s, every other endpoint about 69/s.
    expect(await rateLimitsOf('braze', 100)).toEqual([
      { group: 'track', requests: 100, perMs: 1000 },
      { group: 'delete', requests: 100, perMs: 1000 },
      { group: 'default', requests: 250_000, perMs: 3_600_000 },
    ])
    expect(await rateLimitsOf('braze', 10)).toEqual([
      { group: 'track', requests: 10, perMs: 1000 },
      { group: 'delete', requests: 10, perMs: 1000 },
      { group: 'default', requests: 10, perMs: 1000 },
    ])
  })

  it('limits the groups the vendor does not rate limit too', async () => {
    expect(await rateLimitsOf('courier', 50)).toEqual([
      { group: 'lists', requests: 20, perMs: 60_000 },
      { group: 'default', requests: 50, perMs: 1000 },
    ])
    expect(await rateLimitsOf('clevertap', 3)).toEqual([
      { group: 'upload', requests: 3, perMs: 1000 },
      { group: 'default', requests: 3, perMs: 1000 },
    ])
  })

  it('counts a fractional rate in whole requests over a longer window', async () => {
    expect(await rateLimitsOf('loops', 2.5)).toEqual([{ group: 'default', requests: 2, perMs: 800 }])
    expect(await rateLimitsOf('loops', 0.5)).toEqual([{ group: 'default', requests: 1, perMs: 2000 }])
  })

  it('holds the read endpoints of outflow verify to it', async () => {
    const destination = (connection: DestinationSpecDocument): DestinationSpec => ({
      kind: 'Destination',
      name: connection.type,
      description: undefined,
      labels: {},
      origin: { file: 'destinations.yaml', line: 1 },
      connection,
    })
    // Braze exports: 250 a minute (about 4/s).
    expect((await readerFor(destination({ ...CONNECTIONS.braze, maxRequestsPerSecond: 2 }))).rateLimits).toEqual([
      { group: 'export', requests: 2, perMs: 1000 },
    ])
    expect((await readerFor(destination({ ...CONNECTIONS.braze, maxRequestsPerSecond: 50 }))).rateLimits).toEqual([
      { group: 'export', requests: 250, perMs: 60_000 },
    ])
    expect((await readerFor(destination({ ...CONNECTIONS.clevertap, maxRequestsPerSecond: 5 }))).rateLimits).toEqual([
      { group: 'profile', requests: 5, perMs: 1000 },
    ])
    expect((await readerFor(destination(CONNECTIONS.clevertap))).rateLimits).toEqual([])
  })

  it('refuses a value the schema would have refused, when a connection is built in code', async () => {
    for (const wrong of [0, -1, 100_001, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(rateLimitsOf('loops', wrong)).rejects.toMatchObject({
        code: 'SPEC_INVALID',
        message: expect.stringContaining(
          'destination "loops": maxRequestsPerSecond must be a number above 0 and at most 100000',
        ) as unknown,
      })
    }
  })
})
