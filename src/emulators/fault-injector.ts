import type { DropFault, FaultMatch, FaultRule, StatusFault } from './fault-rule.js'
import { seededRandom } from './seeded-random.js'

/** A rule with what is left of it, as `GET /_emulator/faults` reports it. */
export type FaultRuleStatus = FaultRule & {
  /** Requests the rule may still answer; `null` when unlimited. */
  remaining: number | null
  /** Requests the rule has answered. */
  fired: number
}

/** What the faults decided for one request: wait `delayMs`, then answer with `action` if any. */
export interface FaultDecision {
  delayMs: number
  action?: StatusFault | DropFault
}

interface ActiveRule {
  rule: FaultRule
  remaining: number
  fired: number
  random: (() => number) | undefined
}

/**
 * Holds the fault rules of one emulator and decides, request by request, which fire. A rule is
 * spent after `count` hits; spent rules stay listed (with `remaining: 0`) until cleared.
 */
export class FaultInjector {
  #rules: ActiveRule[] = []

  /** Replaces every rule. */
  set(rules: readonly FaultRule[]): void {
    this.#rules = rules.map(activate)
  }

  /** Adds rules after the current ones. */
  append(rules: readonly FaultRule[]): void {
    this.#rules.push(...rules.map(activate))
  }

  clear(): void {
    this.#rules = []
  }

  list(): FaultRuleStatus[] {
    return this.#rules.map(({ rule, remaining, fired }) => ({
      ...rule,
      remaining: Number.isFinite(remaining) ? remaining : null,
      fired,
    }))
  }

  /** Decides the faults for one request, spending the rules that fire. */
  next(method: string, path: string): FaultDecision {
    let delayMs = 0
    for (const active of this.#rules) {
      if (active.remaining <= 0 || !matches(active.rule.match, method, path)) continue
      if (active.random !== undefined && active.random() >= (active.rule.probability ?? 1)) continue
      active.remaining -= 1
      active.fired += 1
      if (active.rule.kind === 'delay') {
        delayMs += active.rule.ms
        continue
      }
      return { delayMs, action: active.rule }
    }
    return { delayMs }
  }
}

function activate(rule: FaultRule): ActiveRule {
  const probabilistic = rule.probability !== undefined
  return {
    rule,
    remaining: rule.count ?? (probabilistic ? Number.POSITIVE_INFINITY : 1),
    fired: 0,
    random: probabilistic ? seededRandom(rule.seed ?? 1) : undefined,
  }
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (match === undefined) return true
  if (match.method !== undefined && match.method.toUpperCase() !== method) return false
  if (match.path === undefined) return true
  return match.path.endsWith('*') ? path.startsWith(match.path.slice(0, -1)) : path === match.path
}
