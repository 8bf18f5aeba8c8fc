import type { Command } from 'commander'

export { selectSyncs, type Selection, type SelectionOptions } from '../api/select-syncs.js'

/** Adds `--dir` and `--from-dir` to a command that runs or inspects syncs (see `selectSyncs`). */
export function withSelectionOptions(command: Command): Command {
  return command
    .option('--dir <path>', 'specs directory; its Source specs locate the state stores', 'syncs')
    .option('--from-dir <path>', 'use the syncs written in this directory instead of those registered by `pulumi up` (local development)')
}
