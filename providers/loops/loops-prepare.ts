import type { PrepareRequest, PrepareResult, RequestGate } from '../../src/destinations/destination.js'
import { isExpectedAnswer } from '../../src/destinations/expected-answer.js'
import { prepareFailure } from '../../src/destinations/prepare-failure.js'
import { OutflowError } from '../../src/errors.js'
import { isRecord } from '../../src/util/is-record.js'
import { loopsCatalog } from './loops-catalog.js'
import { createCustomProperty, listCustomProperties, type LoopsClientConfig, type LoopsProperty } from './loops-client.js'
import { LOOPS_ANSWERS } from './loops-answers.js'
import { readLoopsMessage } from './loops-errors.js'
import { loopsErrors } from './loops-outcome.js'

/** A custom property the sync writes, and whether Loops has it. */
interface PropertyPlan {
  name: string
  type: string
  /** Loops' type for it, when it exists. */
  existingType: string | undefined
}

/** What preparing a contact sync needs. */
export interface LoopsPrepare {
  destination: string
  client: LoopsClientConfig
  gate: RequestGate
}

/**
 * The custom properties a sync writes (every mapped field that is not a standard contact field)
 * and which of them Loops has. Loops stores values only for properties created first (section 1.4).
 */
export async function planCustomProperties(prepare: LoopsPrepare, request: PrepareRequest): Promise<PropertyPlan[]> {
  const standard: Readonly<Record<string, unknown>> = loopsCatalog.objects.contact.fields
  const wanted = Object.entries(request.fields).filter(([name]) => !Object.hasOwn(standard, name))
  if (wanted.length === 0) return []
  const response = await listCustomProperties(prepare.client, prepare.gate)
  if (!isExpectedAnswer(LOOPS_ANSWERS.listCustomProperties, response))
    throw prepareFailure(loopsErrors, prepare.destination, LOOPS_ANSWERS.listCustomProperties, response)
  const existing = new Map(readProperties(response.body).map((property) => [property.key, property.type]))
  return wanted.map(([name, type]) => ({ name, type, existingType: existing.get(name) }))
}

/** Lists the properties `prepare` would create, as `property:<name> (<type>)`. */
export function describeMissing(plan: readonly PropertyPlan[]): string[] {
  return plan.filter((property) => property.existingType === undefined).map(describe)
}

/**
 * Creates the missing properties. One that exists with another type would make Loops refuse every
 * record, so it stops the sync here, before any delivery.
 */
export async function applyPropertyPlan(prepare: LoopsPrepare, plan: readonly PropertyPlan[]): Promise<PrepareResult> {
  const result: PrepareResult = { created: [], existing: [] }
  for (const property of plan) {
    if (property.existingType !== undefined && property.existingType !== property.type) {
      const message = `custom property "${property.name}" is a ${property.existingType} in Loops, but the sync maps a ${property.type}`
      throw new OutflowError('DESTINATION_REQUEST_INVALID', `destination "${prepare.destination}": ${message}`)
    }
    if (property.existingType !== undefined) result.existing.push(describe(property))
    else result[(await createProperty(prepare, property)) ? 'created' : 'existing'].push(describe(property))
  }
  return result
}

/** Creates one property; false when Loops says it already exists (created meanwhile by someone else). */
async function createProperty(prepare: LoopsPrepare, property: PropertyPlan): Promise<boolean> {
  const response = await createCustomProperty(prepare.client, prepare.gate, { name: property.name, type: property.type })
  if (isExpectedAnswer(LOOPS_ANSWERS.createCustomProperty, response)) return true
  // loops.json `ContactPropertyFailureResponse` example; the message is Loops' only signal for it.
  if (response.status === 400 && readLoopsMessage(response.body) === 'Property already exists.') return false
  throw prepareFailure(loopsErrors, prepare.destination, LOOPS_ANSWERS.createCustomProperty, response)
}

function describe(property: PropertyPlan): string {
  return `property:${property.name} (${property.type})`
}

function readProperties(body: unknown): LoopsProperty[] {
  if (!Array.isArray(body)) return []
  return body.flatMap((item: unknown) =>
    isRecord(item) && typeof item['key'] === 'string' && typeof item['type'] === 'string' ? [{ key: item['key'], type: item['type'] }] : [],
  )
}
