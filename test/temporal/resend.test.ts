import { describe, expect, it } from 'vitest'

import { runResults, useTemporalWorkspaces } from './temporal-workspace.js'

/*
 * `outflow run --temporal-address … --full-resync` and `--keys`: the workflow input carries the
 * resend to the workers, which send those rows again in pages and record them as a local run does.
 */

const { skip, open } = useTemporalWorkspaces()

describe.skipIf(skip)('resends on the workers (Temporal)', { timeout: 120_000 }, () => {
  it('restores users the vendor lost with --full-resync, and sends the rows of --keys only', async () => {
    const ws = await open({ users: 300, rate: 50 })
    await ws.startWorker()
    expect(runResults(await ws.startRun().exited)['braze-users']).toMatchObject({ status: 'succeeded', counts: { synced: 300 } })
    const lost = await fetch(`${ws.braze.url}/users/delete`, {
      method: 'POST',
      headers: { authorization: 'Bearer braze-test-key', 'content-type': 'application/json' },
      body: JSON.stringify({ external_ids: ['u7', 'u250'] }),
    })
    expect(lost.status).toBe(201)
    expect(runResults(await ws.startRun().exited)['braze-users']).toMatchObject({ counts: { synced: 0 } })
    expect(ws.brazeUsers('u')).toHaveLength(298)

    const resync = runResults(await ws.startRun('braze-users', '--full-resync').exited)['braze-users']
    expect(resync).toMatchObject({ status: 'succeeded', fullResync: true, counts: { changed: 300, removed: 0, synced: 300 } })
    expect(ws.brazeUsers('u')).toEqual(await ws.modelUsers('users'))
    expect(runResults(await ws.startRun().exited)['braze-users']).toMatchObject({ counts: { synced: 0 } })

    await ws.sandbox.query(`update app.users set score = score + 1000 where user_id in ('u1', 'u2', 'u3')`)
    const keyed = runResults(await ws.startRun('braze-users', '--keys', 'u1,u9,nobody').exited)['braze-users']
    expect(keyed).toMatchObject({ status: 'succeeded', fullResync: false, counts: { changed: 2, synced: 2 }, missingKeys: ['nobody'] })
    expect(ws.brazeUsers('u').filter((u) => u.startsWith('u1|') || u.startsWith('u2|'))).toEqual([
      'u1|u1@example.com|1001',
      'u2|u2@example.com|2',
    ])
    expect(runResults(await ws.startRun().exited)['braze-users']).toMatchObject({ counts: { changed: 2, synced: 2 } })
  })
})
