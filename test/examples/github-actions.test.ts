import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

import { requiredServices } from '../helpers/required-services.js'

/*
 * The GitHub Actions workflow of examples/github-actions/ (the README's copy of it included): what
 * holds without GitHub, checked in Node, and actionlint's verdict when OUTFLOW_TEST_ACTIONLINT_BIN
 * names its directory (`bash .ci/build-actionlint.sh | tail -1` prints it).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const FILE = 'examples/github-actions/outflow.yml'
const TEXT = readFileSync(join(ROOT, FILE), 'utf8')
const MARKER = '<!-- outflow-plan -->'
/** The actions the workflow may use, at their current majors. */
const ACTIONS = ['actions/checkout@v7', 'actions/setup-node@v7', 'actions/github-script@v9', 'pulumi/actions@v7']
/** Secrets that write: the runner's warehouse role, and the vendors' keys. */
const WRITE_SECRETS = ['DATABASE_URL', 'LOOPS_API_KEY', 'BRAZE_API_KEY', 'CLEVERTAP_PASSCODE', 'COURIER_AUTH_TOKEN']

interface Step {
  id?: string
  name?: string
  if?: string
  uses?: string
  run?: string
  env?: Record<string, string>
  with?: Record<string, unknown>
}

interface Job {
  if?: string
  'timeout-minutes'?: unknown
  permissions?: unknown
  environment?: unknown
  env?: Record<string, string>
  steps: Step[]
}

interface Workflow {
  on: unknown
  permissions?: unknown
  env?: Record<string, string>
  jobs: Record<string, Job>
}

const WORKFLOW = parse(TEXT) as Workflow
const JOBS = Object.entries(WORKFLOW.jobs)

/** When a job runs, from its `if`: every job must say, and a job that says nothing would run on pull requests too. */
function trigger(job: Job): 'pull_request' | 'main' | 'schedule' | 'unknown' {
  const condition = job.if ?? ''
  if (condition.startsWith("github.event_name == 'pull_request'")) return 'pull_request'
  if (condition === "github.event_name == 'push' && github.ref == 'refs/heads/main'") return 'main'
  if (/^github\.event\.schedule == '[^']+'$/.test(condition)) return 'schedule'
  return 'unknown'
}

function secretsOf(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/\bsecrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? '')
}

function step(jobName: string, predicate: (s: Step) => boolean): Step {
  const found = WORKFLOW.jobs[jobName]?.steps.filter(predicate) ?? []
  expect(found, `one such step in job ${jobName}`).toHaveLength(1)
  return found[0]!
}

describe(FILE, () => {
  it('is what the README shows', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    expect(readme).toContain(`](${FILE})`)
    // Every workflow-looking block of the README is a copy of the file, byte for byte.
    const copies = [...readme.matchAll(/^(`{3,})ya?ml\n([\s\S]*?)^\1$/gm)].map((m) => m[2] ?? '').filter((b) => b.includes('runs-on:'))
    expect(copies.length).toBeGreaterThan(0)
    for (const copy of copies) expect(copy).toBe(TEXT)
  })

  it('runs validate, plan and preview on pull requests, deploy on main, drift nightly, due syncs every 15 minutes', () => {
    expect(Object.fromEntries(JOBS.map(([name, job]) => [name, trigger(job)]))).toEqual({
      validate: 'pull_request',
      plan: 'pull_request',
      preview: 'pull_request',
      deploy: 'main',
      'drift-config': 'schedule',
      'drift-data': 'schedule',
      run: 'schedule',
    })
    const runs = (name: string) => (WORKFLOW.jobs[name]?.steps ?? []).map((s) => s.run ?? '').join('\n')
    expect(runs('validate')).toContain('npx outflow validate --format github')
    expect(runs('plan')).toContain('npx outflow plan --format markdown')
    expect(runs('plan')).not.toContain('--samples')
    expect(runs('preview')).toMatch(/pulumi preview --diff --stack prod/)
    expect(runs('deploy')).toMatch(/pulumi up --yes --stack prod[^]*\nnpx outflow run$/m)
    expect(runs('drift-config')).toContain('pulumi preview --refresh --expect-no-changes')
    expect(runs('drift-data')).toContain('npx outflow verify')
    expect(runs('run')).toContain('npx outflow run --due')
    // Forks get no secrets: the jobs that need them skip their pull requests.
    for (const name of ['plan', 'preview']) expect(WORKFLOW.jobs[name]?.if, name).toContain('head.repo.full_name == github.repository')
  })

  it('uses only the current majors of its actions', () => {
    const uses = new Set(JOBS.flatMap(([, job]) => job.steps.flatMap((s) => (s.uses === undefined ? [] : [s.uses]))))
    expect([...uses].sort()).toEqual([...ACTIONS].sort())
    // No checkout leaves the token in .git/config for later steps (npm ci runs the pull request's scripts).
    for (const [name, job] of JOBS) {
      for (const s of job.steps.filter((s) => s.uses?.startsWith('actions/checkout@') === true)) {
        expect(s.with?.['persist-credentials'], name).toBe(false)
      }
    }
  })

  it('keeps every secret in a job, none at the workflow level', () => {
    const { jobs, ...workflowLevel } = WORKFLOW
    expect(secretsOf(workflowLevel)).toEqual([])
    expect(secretsOf(jobs).length).toBeGreaterThan(0)
    expect(TEXT).not.toMatch(/secrets:\s*inherit/)
  })

  it('gives every job a timeout', () => {
    for (const [name, job] of JOBS) {
      expect(job['timeout-minutes'], name).toEqual(expect.any(Number))
      expect(job['timeout-minutes'] as number, name).toBeGreaterThan(0)
    }
  })

  it('grants the token nothing by default, and each job only what it needs', () => {
    expect(WORKFLOW.permissions).toEqual({})
    for (const [name, job] of JOBS) {
      const expected = name === 'plan' ? { contents: 'read', 'pull-requests': 'write' } : { contents: 'read' }
      expect(job.permissions, name).toEqual(expected)
    }
  })

  it('never gives a pull request job a write credential, and writes only from main through the production environment', () => {
    for (const [name, job] of JOBS) {
      const writes = secretsOf(job).filter((s) => WRITE_SECRETS.includes(s))
      if (trigger(job) === 'pull_request') {
        expect(writes, name).toEqual([])
        expect(job.environment, name).toBeUndefined()
      }
      if (writes.length > 0) {
        expect(['main', 'schedule'], name).toContain(trigger(job))
        expect(job.environment, name).toBe('production')
      }
    }
    expect(secretsOf(WORKFLOW.jobs['plan'])).toEqual(['DATABASE_URL_READONLY'])
    expect(secretsOf(WORKFLOW.jobs['deploy'])).toContain('DATABASE_URL')
  })

  describe('the plan comment', () => {
    const comment = step('plan', (s) => s.uses?.startsWith('actions/github-script@') === true)
    const script = String(comment.with?.['script'])

    interface Comment {
      id: number
      body: string
      user: { login: string; type: 'Bot' | 'User' }
    }

    /** Runs the step's script as actions/github-script does (the body of an async function), against a fake API. */
    async function post(existing: Comment[], plan: string | undefined, outcome = 'success') {
      const calls: { method: string; params: Record<string, unknown> }[] = []
      const record = (method: string) => (params: Record<string, unknown>) => {
        calls.push({ method, params })
        return Promise.resolve({ data: {} })
      }
      const listComments = record('listComments')
      const github = {
        rest: { issues: { listComments, createComment: record('createComment'), updateComment: record('updateComment') } },
        paginate: (method: unknown, params: Record<string, unknown>) => {
          expect(method).toBe(listComments)
          calls.push({ method: 'paginate listComments', params })
          return Promise.resolve(existing)
        },
      }
      const context = { repo: { owner: 'acme', repo: 'syncs' }, issue: { number: 7 } }
      const fs = {
        existsSync: (path: string) => path === 'plan.md' && plan !== undefined,
        readFileSync: (path: string) => {
          expect(path).toBe('plan.md')
          return plan ?? ''
        },
      }
      const fakeRequire = (id: string) => {
        if (id === 'node:fs' || id === 'fs') return fs
        throw new Error(`the script requires ${id}`)
      }
      const env = { ...comment.env, OUTCOME: outcome }
      // The constructor of async functions (this one's), as github-script builds its script with.
      const AsyncFunction = post.constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>
      await new AsyncFunction('require', 'github', 'context', 'process', script)(fakeRequire, github, context, { env })
      return calls.filter((c) => c.method !== 'paginate listComments')
    }

    const ours = (id: number, body: string): Comment => ({ id, body, user: { login: 'github-actions[bot]', type: 'Bot' } })

    it('uses the hidden marker, and edits only what the bot wrote', () => {
      expect(comment.env?.['MARKER']).toBe(MARKER)
      expect(comment.env?.['AUTHOR']).toBe('github-actions[bot]')
      expect(comment.if).toBe("${{ !cancelled() && steps.plan.outcome != 'skipped' }}")
      expect(comment.env?.['OUTCOME']).toBe('${{ steps.plan.outcome }}')
    })

    it('creates the comment, marker first, when the pull request has none', async () => {
      const calls = await post([ours(1, 'Looks good'), { id: 2, body: 'a person', user: { login: 'ada', type: 'User' } }], '## Plan\n')
      expect(calls).toEqual([
        { method: 'createComment', params: { owner: 'acme', repo: 'syncs', issue_number: 7, body: `${MARKER}\n## Plan\n` } },
      ])
    })

    it("edits the bot's own marked comment, never another bot's or a person's with the same marker", async () => {
      const existing: Comment[] = [
        { id: 10, body: `${MARKER}\nanother bot's plan`, user: { login: 'outflow-preview[bot]', type: 'Bot' } },
        { id: 11, body: `${MARKER}\nquoted by a person`, user: { login: 'github-actions[bot]', type: 'User' } },
        { id: 12, body: `${MARKER}\nby someone`, user: { login: 'ada', type: 'User' } },
        ours(13, `Deploy notes\n${MARKER}`),
        ours(14, `${MARKER}\nthe old plan`),
      ]
      expect(await post(existing, '## New plan\n')).toEqual([
        { method: 'updateComment', params: { owner: 'acme', repo: 'syncs', comment_id: 14, body: `${MARKER}\n## New plan\n` } },
      ])
    })

    it("creates its own comment when only another bot's carries the marker", async () => {
      const calls = await post([{ id: 10, body: `${MARKER}\nold`, user: { login: 'someone-else[bot]', type: 'Bot' } }], 'plan')
      expect(calls.map((c) => c.method)).toEqual(['createComment'])
    })

    it('says so when the plan failed, and keeps a long plan within what GitHub accepts', async () => {
      const [failed] = await post([ours(14, `${MARKER}\nold`)], 'partial plan', 'failure')
      expect(failed?.method).toBe('updateComment')
      expect(String(failed?.params['body'])).toMatch(new RegExp(`^${MARKER}\\n\\*\\*outflow plan failed\\*\\*[^\\n]*\\n\\npartial plan$`))
      const [missing] = await post([], undefined, 'failure')
      expect(String(missing?.params['body'])).toContain('outflow plan failed')
      const [long] = await post([], 'x'.repeat(200_000))
      const body = String(long?.params['body'])
      expect(body.startsWith(MARKER)).toBe(true)
      expect(body.length).toBeLessThanOrEqual(65_536)
      expect(body).toContain('the job log has the rest')
    })
  })
})

/** The actionlint binary from OUTFLOW_TEST_ACTIONLINT_BIN (its directory, or the binary itself), or why the check is skipped. */
function actionlintBin(): { bin: string | undefined; skipReason: string | undefined } {
  const value = process.env['OUTFLOW_TEST_ACTIONLINT_BIN']
  if (value === undefined || value === '') {
    if (requiredServices().has('actionlint')) {
      throw new Error('actionlint is required (OUTFLOW_REQUIRE_SERVICES) but OUTFLOW_TEST_ACTIONLINT_BIN is not set')
    }
    return { bin: undefined, skipReason: 'set OUTFLOW_TEST_ACTIONLINT_BIN to run it (`bash .ci/build-actionlint.sh | tail -1` prints it)' }
  }
  const bin = existsSync(value) && statSync(value).isDirectory() ? join(value, 'actionlint') : value
  if (!existsSync(bin)) throw new Error(`OUTFLOW_TEST_ACTIONLINT_BIN=${value}: no actionlint there`)
  return { bin, skipReason: undefined }
}

const ACTIONLINT = actionlintBin()

describe.skipIf(ACTIONLINT.skipReason !== undefined)(`actionlint: ${ACTIONLINT.skipReason ?? FILE}`, () => {
  it('finds nothing to report', () => {
    const result = spawnSync(ACTIONLINT.bin!, ['-no-color', FILE], { cwd: ROOT, encoding: 'utf8' })
    expect(result.error).toBeUndefined()
    expect(`${result.stdout}${result.stderr}`).toBe('')
    expect(result.status).toBe(0)
  })
})
