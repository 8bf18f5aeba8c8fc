#!/usr/bin/env node
/* `npm run demo [specs-dir]`: the demo, printed to the terminal. */
import { defaultSpecsDir, runDemo } from './run-demo.js'

try {
  await runDemo(process.argv[2] ?? defaultSpecsDir(), (line) => process.stdout.write(`${line}\n`))
} catch (error) {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
