import { describe, expect, it } from 'vitest'

import { vendorPath } from '../../src/destinations/vendor-path.js'
import { LastSuccess } from '../../src/telemetry/last-success.js'
import { templateOf } from '../../src/telemetry/trace-vendor-request.js'

describe('endpoint templates', () => {
  it('fills a path from its template, encoding each value and the query, and keeps the template', () => {
    expect(vendorPath('/lists/{list_id}/subscriptions/{user_id}', { list_id: 'news', user_id: 'a b/c@d.e' })).toEqual({
      path: '/lists/news/subscriptions/a%20b%2Fc%40d.e',
      template: '/lists/{list_id}/subscriptions/{user_id}',
    })
    expect(vendorPath('/profiles/{user_id}/lists', { user_id: 'u1' }, { cursor: 'n&2', limit: undefined })).toEqual({
      path: '/profiles/u1/lists?cursor=n%262',
      template: '/profiles/{user_id}/lists',
    })
    expect(() => vendorPath('/profiles/{user_id}', {})).toThrow('no value for {user_id} in /profiles/{user_id}')
  })

  it('names an endpoint without its identifiers: the template, or the path without its query string', () => {
    expect(templateOf(vendorPath('/profiles/{user_id}', { user_id: 'someone@example.com' }))).toBe('/profiles/{user_id}')
    expect(templateOf('/v1/contacts/find?email=someone%40example.com')).toBe('/v1/contacts/find')
    expect(templateOf('/users/track')).toBe('/users/track')
  })
})

describe('LastSuccess', () => {
  it('counts from the last success, or from the start until a sync has succeeded, and never for a sync not run', () => {
    const seen = new LastSuccess(1_000)
    seen.record('warehouse/a', { 'outflow.sync': 'a' }, true, 5_000)
    seen.record('warehouse/b', { 'outflow.sync': 'b' }, false, 6_000)
    seen.record('warehouse/a', { 'outflow.sync': 'a' }, false, 8_000)
    const observed: [number, unknown][] = []
    seen.observe((seconds, attributes) => observed.push([seconds, attributes['outflow.sync']]), 11_000)
    expect(observed).toEqual([
      [6, 'a'],
      [10, 'b'],
    ])
  })
})
