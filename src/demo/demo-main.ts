#!/usr/bin/env node
/* `npm run demo [specs-dir]`: the demo, printed to the terminal. */
import { unsupportedNode } from '../util/supported-node.js'

// As in the CLI's entry: the version first, then the modules that need a newer Node.
const unsupported = unsupportedNode(process.versions.node)
if (unsupported === undefined) {
  const [{ demoCommand }, { defaultSpecsDir }] = await Promise.all([import('./demo-command.js'), import('./run-demo.js')])
  process.exitCode = await demoCommand(process.argv[2] ?? defaultSpecsDir(), {
    print: (line) => process.stdout.write(`${line}\n`),
    stderr: (text) => process.stderr.write(text),
  })
} else {
  process.stderr.write(`demo: ${unsupported}\n`)
  process.exitCode = 1
}
