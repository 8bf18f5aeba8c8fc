import type { PlanOutcome } from '../engine/plan-syncs.js'

/** How a working-tree sync compares with what is registered (applied). */
export type Registration = 'new' | 'changed' | 'unchanged'

/** A plan with its registration status; `removed` lists registered syncs gone from the working tree. */
export interface PlanReport {
  outcomes: readonly (PlanOutcome & { registration: Registration })[]
  removed: readonly { sync: string; destination: string }[]
}
