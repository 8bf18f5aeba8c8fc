import { isOutflowError, planSyncs, runSyncs, verifySyncs } from 'outflow'

// Ctrl+C, or an orchestrator cancelling the task: batches in flight finish and are recorded.
const stop = new AbortController()
process.once('SIGINT', () => stop.abort()).once('SIGTERM', () => stop.abort())

try {
  // The syncs `pulumi up` registered from ./syncs (`fromDir: 'syncs'` runs the files as written).
  const run = await runSyncs({
    dir: 'syncs',
    signal: stop.signal,
    onResult: (r) => console.log(`${r.status} ${r.sync}: ${r.counts.synced} synced, ${r.counts.rejected} rejected`),
  })
  if (run.skipped !== undefined) console.log(`skipped: ${run.skipped}`)
  const failed = run.results.filter((r) => r.status !== 'succeeded' && r.status !== 'skipped')
  for (const r of failed) console.error(`${r.sync} ${r.status}: ${r.reason ?? ''}`)
  if (stop.signal.aborted) process.exit(130) // the stopped syncs ended `cancelled`, all they sent recorded

  // What a run would send now: nothing, right after a run, unless the model changed meanwhile.
  const plan = await planSyncs({ dir: 'syncs' })
  for (const s of plan.syncs) {
    if ('error' in s) console.error(`${s.sync} cannot be planned: ${s.error.code}`)
    else console.log(`${s.sync}: ${s.create} to create, ${s.update} to update, ${s.delete} to delete (${s.registration})`)
  }

  // Read a sample of each destination's records back and compare them with what was sent.
  const verify = await verifySyncs({ dir: 'syncs', sample: 100 })
  for (const s of verify.syncs) console.log(`${s.sync}: ${s.outcome}, ${s.counts.inSync} of ${s.counts.read} read in sync`)

  process.exitCode = failed.length > 0 || verify.drift ? 1 : 0
} catch (error) {
  // Nothing could run: invalid specs, no sync registered, a name that matches none, no warehouse.
  if (!isOutflowError(error)) throw error
  console.error(`${error.code}: ${error.message}`)
  process.exitCode = 1
}
