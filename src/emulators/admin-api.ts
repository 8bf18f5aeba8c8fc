import { jsonResponse, type EmulatorResponse } from './emulator-http.js'
import type { FaultInjector } from './fault-injector.js'
import { validateFaultRules } from './fault-rule.js'
import type { RequestBody } from './read-request-body.js'
import type { RequestLogEntry } from './request-log.js'

/** Path prefix of the admin API; vendor paths never start with it. */
export const ADMIN_PREFIX = '/_emulator/'

/** What the admin API reads and changes. */
export interface AdminTarget {
  state(): unknown
  reset(): void
  readonly faults: FaultInjector
  requests(): RequestLogEntry[]
  /** Absent when the vendor has nothing to seed. */
  seed: ((body: unknown) => string[]) | undefined
}

/**
 * Answers the admin API, the same for every emulator and free of vendor auth:
 * `GET state`, `POST reset`, `GET|POST|DELETE faults`, `GET requests`, `POST seed`.
 */
export function handleAdminRequest(target: AdminTarget, method: string, path: string, body: RequestBody): EmulatorResponse {
  const endpoint = `${method} ${path.slice(ADMIN_PREFIX.length).replace(/\/$/, '')}`
  switch (endpoint) {
    case 'GET state':
      return jsonResponse(200, target.state())
    case 'POST reset':
      target.reset()
      return jsonResponse(200, { reset: true })
    case 'GET faults':
      return jsonResponse(200, { faults: target.faults.list() })
    case 'POST faults':
      return setFaults(target.faults, body)
    case 'DELETE faults':
      target.faults.clear()
      return jsonResponse(200, { faults: [] })
    case 'GET requests':
      return jsonResponse(200, { requests: target.requests() })
    case 'POST seed':
      return seed(target, body)
    default:
      return adminError(404, `no admin endpoint ${method} ${path}`)
  }
}

/** `POST /_emulator/faults` with `{ "faults": [rule, ...], "append": false }`. */
function setFaults(faults: FaultInjector, body: RequestBody): EmulatorResponse {
  const value = body.kind === 'json' ? body.value : undefined
  if (typeof value !== 'object' || value === null || !('faults' in value)) {
    return adminError(400, 'expected a JSON body { "faults": [rule, ...], "append"?: boolean }')
  }
  const checked = validateFaultRules(value.faults)
  if ('problems' in checked)
    return adminError(
      400,
      'invalid fault rules',
      checked.problems.map((p) => `/faults${p}`),
    )
  const append = 'append' in value && value.append === true
  if (append) faults.append(checked.rules)
  else faults.set(checked.rules)
  return jsonResponse(200, { faults: faults.list() })
}

function seed(target: AdminTarget, body: RequestBody): EmulatorResponse {
  if (target.seed === undefined) return adminError(404, 'this emulator has nothing to seed')
  if (body.kind !== 'json') return adminError(400, 'expected a JSON body')
  const problems = target.seed(body.value)
  return problems.length === 0 ? jsonResponse(200, { seeded: true }) : adminError(400, 'invalid seed data', problems)
}

function adminError(status: number, error: string, problems?: string[]): EmulatorResponse {
  return jsonResponse(status, problems === undefined ? { error } : { error, problems })
}
