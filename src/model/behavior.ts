/**
 * How a sync writes records; one vocabulary in YAML, types, provider inputs and the CLI.
 * - `upsert`: update the record, or create it.
 * - `update`: update existing records only.
 * - `create`: create new records only.
 * - `mirror`: upsert, and remove what this sync wrote earlier that is gone from the model.
 * - `send`: send each new row once, as an event.
 */
export const BEHAVIORS = ['upsert', 'update', 'create', 'mirror', 'send'] as const

export type Behavior = (typeof BEHAVIORS)[number]

/** True when `value` is one of {@link BEHAVIORS}. */
export function isBehavior(value: unknown): value is Behavior {
  return (BEHAVIORS as readonly unknown[]).includes(value)
}
