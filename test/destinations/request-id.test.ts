import { describe, expect, it } from 'vitest'

import type { DeliveryRecord } from '../../src/destinations/destination.js'
import type { ExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { describeUnexpectedAnswer } from '../../src/destinations/expected-answer.js'
import { answerPlace, requestIdOf, type HttpResponse } from '../../src/destinations/http.js'
import { recordFailure, type VendorErrors } from '../../src/destinations/vendor-outcome.js'

/*
 * A vendor's id for a request travels in the message of the failure it caused, so that the
 * vendor's support can find the request: messages are what runs, rejected rows and logs keep.
 */

const response = (status: number, headers: Record<string, string>, body: unknown = { message: 'bad email' }): HttpResponse => ({
  status,
  headers,
  body,
})

describe('requestIdOf', () => {
  it('reads the first request-id header the vendor sent', () => {
    expect(requestIdOf(response(500, { 'x-request-id': 'req_8f2a9c' }))).toBe('req_8f2a9c')
    expect(requestIdOf(response(500, { 'request-id': 'abc', 'cf-ray': '8a1b2c3d4e5f-AMS' }))).toBe('abc')
    expect(requestIdOf(response(500, { 'cf-ray': '8a1b2c3d4e5f-AMS' }))).toBe('8a1b2c3d4e5f-AMS')
    expect(requestIdOf(response(500, {}))).toBeUndefined()
  })

  it('quotes only what reads as an id, never a header of arbitrary text', () => {
    expect(requestIdOf(response(500, { 'x-request-id': 'two words' }))).toBeUndefined()
    expect(requestIdOf(response(500, { 'x-request-id': 'x'.repeat(129) }))).toBeUndefined()
  })
})

describe('messages name the request id', () => {
  const endpoint = 'POST /users/track'
  const errors: VendorErrors = {
    vendor: 'Braze',
    classify: (r) => (r.status === 400 ? { errorClass: 'record', code: 'invalid' } : { errorClass: 'retryable', code: 'vendor_error' }),
    readMessage: (body) => (typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : undefined),
    authMessage: () => 'refused',
  }
  const expected: ExpectedAnswer = { endpoint, status: [201], shape: '{ "message": "success" }', matches: () => false }
  // Only the key and fields matter here (they are masked in the vendor's message).
  const record = { key: 'u1', op: 'upsert', change: 'added', fields: {} } as DeliveryRecord

  it('in the place of an answer, and in a record failure', () => {
    expect(answerPlace(response(429, { 'x-request-id': 'r-1' }), endpoint)).toBe('HTTP 429, POST /users/track, request id r-1')
    expect(answerPlace(response(429, {}), endpoint)).toBe('HTTP 429, POST /users/track')
    expect(recordFailure(errors, 'braze', record, expected, response(400, { 'x-request-id': 'r-2' }))).toMatchObject({
      status: 'rejected',
      message: 'bad email (HTTP 400, POST /users/track, request id r-2)',
    })
  })

  it('in an unexpected answer', () => {
    expect(describeUnexpectedAnswer('Braze', expected, response(200, { 'x-request-id': 'r-3' }, undefined))).toMatch(/\(request id r-3\)$/)
  })
})
