import { pointersOverlap } from './json-pointer.js'
import type { ParsedDocument } from './parse-yaml.js'
import type { SpecProblem } from './problem.js'
import { SPEC_RULES } from './rules/all-rules.js'
import type { RuleContext, RuleFinding, SpecRule } from './rules/rule.js'

/**
 * Runs every semantic rule and returns its findings as problems. On a document that was checked
 * with some properties left out (`invalid`, by document), a finding that depends on one of them
 * is dropped: the schema error already said what is wrong there, and a rule reading the gap would
 * only report a consequence of it.
 */
export function applyRules(context: RuleContext, invalid: ReadonlyMap<ParsedDocument, readonly string[]>): SpecProblem[] {
  const problems: SpecProblem[] = []
  for (const rule of SPEC_RULES) {
    for (const finding of rule.check(context)) {
      if (dependsOnInvalid(rule, finding, invalid.get(finding.document) ?? [])) continue
      const { document, pointer } = finding
      problems.push({
        severity: finding.severity ?? 'error',
        file: document.file,
        ...document.locate(pointer, finding.at ?? 'value'),
        pointer,
        message: finding.message,
        rule: rule.name,
      })
    }
  }
  return problems
}

function dependsOnInvalid(rule: SpecRule, finding: RuleFinding, invalid: readonly string[]): boolean {
  const read = [finding.pointer, ...rule.reads]
  return invalid.some((pointer) => read.some((r) => pointersOverlap(pointer, r)))
}
