#!/usr/bin/env node
/*
 * The version check comes first and imports nothing: the CLI's dependencies fail on an older
 * Node with errors that do not name the cause, so they load (dynamically) only once it passes.
 */
import { unsupportedNode } from '../util/supported-node.js'

const unsupported = unsupportedNode(process.versions.node)
if (unsupported === undefined) {
  const [{ processIO }, { main }] = await Promise.all([import('./cli-io.js'), import('./main.js')])
  process.exitCode = await main(process.argv.slice(2), processIO)
} else {
  process.stderr.write(`outflow: ${unsupported}\n`)
  process.exitCode = 1
}
