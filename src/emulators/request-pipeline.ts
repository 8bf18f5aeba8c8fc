import { STATUS_CODES } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

import { DROP_CONNECTION, withHeaders, type EmulatorRequest, type EmulatorResponse, type RequestOutcome } from './emulator-http.js'
import type { EmulatorVendor, VendorRoute } from './emulator-vendor.js'
import type { FaultInjector } from './fault-injector.js'
import type { StatusFault } from './fault-rule.js'
import type { RequestBody } from './read-request-body.js'
import type { Router } from './router.js'

/** What the pipeline needs besides the vendor. */
export interface PipelineContext<Principal, State> {
  vendor: EmulatorVendor<Principal, State>
  router: Router<VendorRoute<Principal>>
  faults: FaultInjector
  retryAfter: boolean
}

/** How a vendor request ended, for the response writer and the request log. */
export interface PipelineResult {
  outcome: RequestOutcome
  operation?: string
  faults: ('status' | 'delay' | 'drop')[]
}

/**
 * Handles one vendor request: route (404/405), body (400/413), auth (401/403), then, inside the
 * vendor's `around` hook, faults, limits (429), schema validation (400) and the route handler.
 * Faults come after auth so that an injected 503 reaches only well-formed, authorised calls, and
 * inside `around` so that Courier's idempotency layer stores an injected 500 like a real one.
 */
export async function dispatchVendorRequest<Principal, State>(
  context: PipelineContext<Principal, State>,
  request: Omit<EmulatorRequest, 'params'>,
  body: RequestBody,
): Promise<PipelineResult> {
  const { vendor } = context
  const lookup = context.router.find(request.method, request.path)
  if (lookup.kind === 'not-found') return answer(routingError(vendor, 404))
  if (lookup.kind === 'method-not-allowed') {
    return answer(withHeaders(routingError(vendor, 405), { allow: lookup.allowed.join(', ') }))
  }
  const { route } = lookup
  const routed: EmulatorRequest = { ...request, params: lookup.params }
  const auth = vendor.authenticate(routed, route)
  if ('response' in auth) return answer({ origin: 'auth', ...auth.response }, route.operation)
  const bodyError = describeBodyError(vendor, body)
  if (bodyError !== undefined) return answer(bodyError, route.operation)
  const result: PipelineResult = { outcome: DROP_CONNECTION, operation: route.operation, faults: [] }
  const inner = () => handleWithFaults(context, routed, route, auth.principal, result)
  result.outcome = vendor.around === undefined ? await inner() : await vendor.around(routed, auth.principal, inner)
  return result
}

async function handleWithFaults<Principal, State>(
  context: PipelineContext<Principal, State>,
  request: EmulatorRequest,
  route: VendorRoute<Principal>,
  principal: Principal,
  result: PipelineResult,
): Promise<RequestOutcome> {
  const decision = context.faults.next(request.method, request.path)
  if (decision.delayMs > 0) {
    result.faults.push('delay')
    await sleep(decision.delayMs, undefined, { signal: request.signal })
  }
  if (decision.action?.kind === 'drop') {
    result.faults.push('drop')
    return DROP_CONNECTION
  }
  if (decision.action?.kind === 'status') {
    result.faults.push('status')
    return faultResponse(context, decision.action)
  }
  return handleAdmitted(context.vendor, request, route, principal)
}

async function handleAdmitted<Principal, State>(
  vendor: EmulatorVendor<Principal, State>,
  request: EmulatorRequest,
  route: VendorRoute<Principal>,
  principal: Principal,
): Promise<EmulatorResponse> {
  const admission = vendor.admit?.(request, route, principal) ?? {}
  try {
    if (admission.rejection !== undefined) return withHeaders({ origin: 'rate-limit', ...admission.rejection }, admission.headers)
    const invalid = vendor.validateRequest?.(request, route)
    if (invalid !== undefined) return withHeaders({ origin: 'validation', ...invalid }, admission.headers)
    return withHeaders(await route.handle(request, principal), admission.headers)
  } finally {
    admission.release?.()
  }
}

/** A status rule's answer: its raw body, its JSON body or the vendor's error body, with its headers. */
function faultResponse<Principal, State>(context: PipelineContext<Principal, State>, fault: StatusFault): EmulatorResponse {
  const base: EmulatorResponse =
    fault.bodyText !== undefined
      ? { status: fault.status, bodyText: fault.bodyText }
      : fault.body !== undefined
        ? { status: fault.status, body: fault.body }
        : context.vendor.errorResponse(fault.status, STATUS_CODES[fault.status] ?? 'Error')
  const headers: Record<string, string> = { ...fault.headers }
  // Header names are case-insensitive: whatever the rule's spelling, one content type is sent.
  const named = Object.keys(headers).filter((name) => name.toLowerCase() === 'content-type')
  if (fault.contentType !== undefined) {
    for (const name of named) Reflect.deleteProperty(headers, name)
    headers['content-type'] = fault.contentType
  } else if (named.length === 0 && fault.bodyText !== undefined && fault.bodyText !== '') {
    headers['content-type'] = 'text/plain; charset=utf-8'
  }
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds)
  else if (fault.status === 429 && context.retryAfter) headers['retry-after'] = '1'
  return { ...withHeaders(base, headers), status: fault.status, origin: 'fault' }
}

function routingError<Principal, State>(vendor: EmulatorVendor<Principal, State>, status: 404 | 405): EmulatorResponse {
  return { ...vendor.errorResponse(status, STATUS_CODES[status] ?? 'Error'), origin: 'routing' }
}

function describeBodyError<Principal, State>(vendor: EmulatorVendor<Principal, State>, body: RequestBody): EmulatorResponse | undefined {
  if (body.kind === 'invalid-json') return { ...vendor.errorResponse(400, 'Request body is not valid JSON'), origin: 'validation' }
  if (body.kind === 'too-large') {
    return { ...vendor.errorResponse(413, `Request body is larger than ${body.limitBytes} bytes`), origin: 'validation' }
  }
  return undefined
}

function answer(outcome: RequestOutcome, operation?: string): PipelineResult {
  return operation === undefined ? { outcome, faults: [] } : { outcome, operation, faults: [] }
}
