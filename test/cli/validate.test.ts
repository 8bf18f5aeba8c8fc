import { execFile, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { describe, expect, it, onTestFinished, vi } from 'vitest'

import { main } from '../../src/cli/main.js'

/** Runs the CLI in process and captures what it prints. */
async function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) })
  return { code, stdout, stderr }
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outflow-validate-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

describe('outflow validate', () => {
  it('exits 0 and summarises a valid directory (syncs/ by default)', async () => {
    const result = await run('validate')
    expect(result).toEqual({ code: 0, stdout: 'syncs: valid (1 source, 4 destinations, 7 syncs)\n', stderr: '' })
  })

  it('exits 1 and prints every problem as file:line:col  pointer  message', async () => {
    const result = await run('validate', 'test/fixtures/specs/broken')
    expect(result.code).toBe(1)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(9)
    expect(lines[0]).toBe(
      'test/fixtures/specs/broken/bad-cron.yaml:12:21  /spec/schedule/cron  invalid cron expression "61 * * * *": Invalid value for minute: 61',
    )
    expect(lines.at(-1)).toBe('test/fixtures/specs/broken: 8 errors in 7 files')
  })

  it('prints machine-readable JSON with --format json', async () => {
    const result = await run('validate', 'test/fixtures/specs/broken/literal-secret.yaml', '--format', 'json')
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as {
      valid: boolean
      errors: { file: string; line: number; column: number; pointer: string; rule: string }[]
    }
    expect(report.valid).toBe(false)
    expect(report.errors).toEqual([
      expect.objectContaining({
        file: 'test/fixtures/specs/broken/literal-secret.yaml',
        line: 7,
        column: 11,
        pointer: '/spec/apiKey',
        rule: 'schema',
      }),
    ])
  })

  it('prints GitHub Actions annotations with --format github', async () => {
    const result = await run('validate', 'test/fixtures/specs/broken', '--format', 'github')
    expect(result.code).toBe(1)
    expect(result.stdout.split('\n')[0]).toMatch(
      /^::error file=test\/fixtures\/specs\/broken\/bad-cron\.yaml,line=12,col=21::\/spec\/schedule\/cron {2}invalid cron/,
    )
  })

  it('validates a single file', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'one.yaml'), 'apiVersion: outflow/v1\nkind: Source\nmetadata: { name: w }\nspec: { type: duckdb }\n')
    const result = await run('validate', join(dir, 'one.yaml'))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('valid (1 source, 0 destinations, 0 syncs)')
  })

  it('says clearly when there is nothing to validate', async () => {
    expect(await run('validate', 'no/such/dir')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'outflow: cannot read specs: no/such/dir does not exist\n',
    })
    const dir = await tempDir()
    expect((await run('validate', dir)).stderr).toBe(`outflow: no spec files (*.yaml, *.yml) in ${dir}\n`)
  })

  it('refuses an unknown format with exit 2', async () => {
    const result = await run('validate', '--format', 'xml')
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('outflow: unknown --format "xml": expected text, json, github\n')
  })

  it('has --help on the program and on the command', async () => {
    const top = await run('--help')
    expect(top.code).toBe(0)
    expect(top.stdout).toContain('validate [options] [path]')
    const command = await run('validate', '--help')
    expect(command.code).toBe(0)
    expect(command.stdout).toContain('--format <format>')
    expect(command.stdout).toContain('Exit status: 0 when every spec is valid')
  })

  it('rejects an unknown command with exit 2 and a hint', async () => {
    const result = await run('valdate')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("unknown command 'valdate'")
    expect(result.stderr).toContain('validate')
  })
})

describe('the installed outflow binary', () => {
  it('runs through npx as a user would, with the exit status of the check', async () => {
    // `npm test` builds dist/ first; the bin is linked into node_modules/.bin by `npm install`.
    expect(existsSync('dist/src/cli/bin.js'), 'dist/ is missing: run `npm run build` (npm test does)').toBe(true)
    const exec = promisify(execFile)
    const ok = await exec('npx', ['--no-install', 'outflow', 'validate', 'syncs'])
    expect(ok.stdout).toBe('syncs: valid (1 source, 4 destinations, 7 syncs)\n')
    const failed = (await exec('npx', ['--no-install', 'outflow', 'validate', 'test/fixtures/specs/broken']).then(
      () => ({ code: 0, stdout: '' }),
      (error: unknown) => error,
    )) as { code: number; stdout: string }
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('8 errors in 7 files')
  })
})

const SOURCE = 'apiVersion: outflow/v1\nkind: Source\nmetadata: { name: warehouse }\nspec: { type: duckdb }\n'

/** A Sync spec naming `destination`, with `extra` lines appended to its `spec`. */
function syncSpec(name: string, destination: string, extra = ''): string {
  return `apiVersion: outflow/v1
kind: Sync
metadata: { name: ${name} }
spec:
  source: warehouse
  model: { table: users }
  destination: ${destination}
  object: user
  behavior: upsert
  key: { column: user_id }
${extra}`
}

/** Writes `files` (name to text) into a fresh temp dir and returns its path. */
async function specDir(files: Record<string, string>): Promise<string> {
  const dir = await tempDir()
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  return dir
}

describe('outflow validate never shows a credential', () => {
  // Shaped like a live key; it must reach no output, in any format.
  const KEY = 'sk-live-PLANTED4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c'
  const HEX_KEY = 'a7f3e0c9a1b2d4e5f6a7b8c9d0e1f2a3'
  const destination = (name: string, apiKey: string) =>
    `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: ${name} }\nspec: { type: braze, restEndpoint: "https://rest.iad-01.braze.com", apiKey: ${apiKey} }\n`

  it('reports a key pasted as a reference name without its value, in text, json and github output', async () => {
    const dir = await specDir({
      'source.yaml': SOURCE,
      'secret.yaml': destination('braze', `{ secret: "${KEY}" }`),
      'env.yaml': destination('braze-env', `{ env: "${KEY}" }`),
      'hex.yaml': destination('braze-hex', `{ secret: ${HEX_KEY} }`),
      'as-key.yaml': destination('braze-key', `{ ${KEY} }`),
      'long.yaml': destination('braze-long', `{ env: ${'A'.repeat(129)} }`),
      'block.yaml': `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: braze-block }\nspec:\n  type: braze\n  apiKey:\n    secret: >${KEY}\n`,
      // A typo for a destination whose reference holds the key: no suggestion may quote it either.
      'sync.yaml': syncSpec('users', 'braz'),
    })
    for (const format of ['text', 'json', 'github']) {
      const result = await run('validate', dir, '--format', format)
      expect(result.code).toBe(1)
      expect(result.stdout + result.stderr).not.toContain(KEY)
      expect(result.stdout + result.stderr).not.toContain('PLANTED')
      expect(result.stdout + result.stderr).not.toContain(HEX_KEY)
      expect(result.stdout + result.stderr).not.toContain('A'.repeat(129))
    }
    const lines = (await run('validate', dir)).stdout.split('\n').map((line) => line.replace(`${dir}/`, ''))
    const notAName = 'reference is not a variable name; it looks like a credential pasted in place of a name (not shown)'
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^secret\\.yaml:4:\\d+  /spec/apiKey/secret  the secret ${escape(notAName)}`)),
        expect.stringMatching(new RegExp(`^env\\.yaml:4:\\d+  /spec/apiKey/env  the env ${escape(notAName)}`)),
        expect.stringMatching(new RegExp(`^hex\\.yaml:4:\\d+  /spec/apiKey/secret  the secret ${escape(notAName)}`)),
        expect.stringMatching(new RegExp(`^long\\.yaml:4:\\d+  /spec/apiKey/env  the env ${escape(notAName)}`)),
        expect.stringMatching(
          /^as-key\.yaml:4:\d+ {2}\/spec\/apiKey {2}a credential reference takes `secret` or `env`; it has another key, not shown/,
        ),
        expect.stringMatching(/^block\.yaml:7:\d+ {2}\/ {2}YAML syntax error: Block scalar header includes extra characters \(after/),
      ]),
    )
  })

  it('still names a mistyped key of a reference when it reads like a name', async () => {
    const dir = await specDir({ 'd.yaml': destination('braze', '{ secrte: BRAZE_API_KEY }') })
    expect((await run('validate', dir)).stdout).toContain('/spec/apiKey/secrte  unknown property `secrte` (did you mean "secret"?)')
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

describe('outflow validate on hostile or broken input', () => {
  it('refuses a file over the size limit without reading it, and checks the others', async () => {
    const dir = await specDir({ 'a-source.yaml': SOURCE, 'b-sync.yaml': syncSpec('users', 'brazee') })
    // 50 MB, sparse: the test writes no 50 MB, and validate must not read them.
    await writeFile(join(dir, 'huge.yaml'), 'apiVersion: outflow/v1\n')
    await truncate(join(dir, 'huge.yaml'), 50 * 1024 * 1024)
    const result = await run('validate', dir)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('')
    expect(result.stdout.replaceAll(`${dir}/`, '')).toBe(
      [
        'b-sync.yaml:7:16  /spec/destination  no Destination named "brazee" (none is defined)',
        'huge.yaml:1:1  /  is 50 MiB, more than the 1 MiB a spec file may be: refused without reading it (raise the limit with --max-file-size or OUTFLOW_MAX_FILE_SIZE)',
        `${dir}: 2 errors in 2 files`,
        '',
      ].join('\n'),
    )
  })

  it('takes the limit from --max-file-size, else OUTFLOW_MAX_FILE_SIZE, within bounds', async () => {
    const dir = await specDir({ 'source.yaml': SOURCE })
    expect((await run('validate', dir, '--max-file-size', '64')).stdout).toContain(
      'source.yaml:1:1  /  is 89 bytes, more than the 64 bytes a spec file may be',
    )
    expect((await run('validate', dir, '--max-file-size', '1KiB')).code).toBe(0)
    vi.stubEnv('OUTFLOW_MAX_FILE_SIZE', '80')
    onTestFinished(() => {
      vi.unstubAllEnvs()
    })
    expect((await run('validate', dir)).stdout).toContain('more than the 80 bytes a spec file may be')
    expect((await run('validate', dir, '--max-file-size', '2MiB')).code).toBe(0)
    expect(await run('validate', dir, '--max-file-size', '64MiB')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'outflow: invalid --max-file-size "64MiB": expected a size from 1 byte to 16 MiB, in bytes or with KiB or MiB (such as 2MiB)\n',
    })
    vi.stubEnv('OUTFLOW_MAX_FILE_SIZE', 'lots')
    expect((await run('validate', dir)).stderr).toBe(
      'outflow: invalid OUTFLOW_MAX_FILE_SIZE "lots": expected a size from 1 byte to 16 MiB, in bytes or with KiB or MiB (such as 2MiB)\n',
    )
  })

  it('refuses a device without reading it', async () => {
    const result = await run('validate', '/dev/zero', '--format', 'json')
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as { errors: unknown[] }
    expect(report.errors).toEqual([
      expect.objectContaining({
        file: '/dev/zero',
        line: 1,
        column: 1,
        message: 'not a regular file (a character device): refused without reading it',
      }),
    ])
  })

  it.skipIf(process.platform === 'win32')('refuses a FIFO and a link inside a spec directory, and checks the others', async () => {
    const dir = await specDir({ 'source.yaml': SOURCE })
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')])
    await symlink('/etc/hostname', join(dir, 'link.yaml'))
    const result = await run('validate', dir)
    expect(result.stdout.replaceAll(`${dir}/`, '').split('\n')).toEqual([
      'link.yaml:1:1  /  not a regular file (a symbolic link, not followed inside a spec directory: name the file itself to check it): refused without reading it',
      'pipe.yaml:1:1  /  not a regular file (a FIFO): refused without reading it',
      `${dir}: 2 errors in 2 files`,
      '',
    ])
  })

  it('refuses a YAML alias bomb at its first alias, and checks the other files', async () => {
    const levels = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
    for (let i = 1; i <= 9; i++)
      levels.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      )
    const dir = await specDir({ 'bomb.yaml': levels.join('\n') + '\n', 'sync.yaml': syncSpec('users', 'brazee') })
    const result = await run('validate', dir)
    expect(result.stderr).toBe('')
    expect(result.stdout.replaceAll(`${dir}/`, '').split('\n')).toEqual([
      'bomb.yaml:2:10  /  YAML aliases expand too far (over 1000, as counted by the YAML parser): the document is refused, as expanding it could exhaust memory',
      'sync.yaml:5:11  /spec/source  no Source named "warehouse" (none is defined)',
      'sync.yaml:7:16  /spec/destination  no Destination named "brazee" (none is defined)',
      `${dir}: 3 errors in 2 files`,
      '',
    ])
  })

  it('refuses an interval beyond 366 days and a cron of 7 fields', async () => {
    const dir = await specDir({
      'source.yaml': SOURCE,
      'destination.yaml':
        'apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: braze }\nspec: { type: braze, restEndpoint: "https://rest.iad-01.braze.com", apiKey: { secret: BRAZE_API_KEY } }\n',
      'a.yaml': syncSpec('a', 'braze', '  schedule: { interval: 99999999999d }\n'),
      'b.yaml': syncSpec('b', 'braze', '  schedule: { cron: "0 0 6 * * * 2030" }\n'),
    })
    expect((await run('validate', dir)).stdout.replaceAll(`${dir}/`, '').split('\n')).toEqual([
      'a.yaml:11:25  /spec/schedule/interval  interval "99999999999d" is out of range: from 1s to 366d (a sync that runs less than once a year is better run by hand: `manual: true`)',
      'b.yaml:11:21  /spec/schedule/cron  invalid cron expression "0 0 6 * * * 2030": it has 7 fields, not 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)',
      `${dir}: 2 errors in 2 files`,
      '',
    ])
    // `status` reads the same specs: it says what is wrong, not a stack trace.
    const status = await run('status', '--from-dir', dir)
    expect(status.code).toBe(1)
    expect(status.stderr).toMatch(/^outflow: .*: 2 problems in the specs:\n/)
  })
})

describe('outflow validate reports every problem of a document at once', () => {
  const DESTINATION =
    'apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: braze }\nspec: { type: braze, restEndpoint: "https://rest.iad-01.braze.com", apiKey: { secret: BRAZE_API_KEY } }\n'

  it('reports schema problems and rule problems together', async () => {
    const dir = await specDir({
      'base.yaml': SOURCE + '---\n' + DESTINATION,
      // An optional property wrong: the rest of the sync is still checked against its destination.
      'a.yaml': syncSpec('a', 'brazee', '  mapings: []\n'),
      // A required property wrong: the references are still checked.
      'b.yaml': syncSpec('b', 'hubspot').replace('behavior: upsert', 'behavior: upsrt'),
      // A wrong mapping and a wrong option: each reported once, the option rule not confused by the mapping.
      'c.yaml': syncSpec('c', 'braze', '  mappings: [{ column: email, type: text }]\n  options: { triggerEvent: { name: welcome } }\n'),
    })
    expect((await run('validate', dir)).stdout.replaceAll(`${dir}/`, '').split('\n')).toEqual([
      'a.yaml:7:16  /spec/destination  no Destination named "brazee" (did you mean "braze"?)',
      'a.yaml:11:3  /spec/mapings  unknown property `mapings` (did you mean "mappings"?)',
      'b.yaml:7:16  /spec/destination  no Destination named "hubspot" (defined: braze)',
      'b.yaml:9:13  /spec/behavior  "upsrt" is not one of `upsert`, `update`, `create`, `mirror` or `send` (did you mean "upsert"?)',
      'c.yaml:11:37  /spec/mappings/0/type  "text" is not one of `string`, `number`, `boolean` or `date`',
      'c.yaml:12:14  /spec/options/triggerEvent  `triggerEvent` is not an option of Braze user: it takes no options',
      `${dir}: 6 errors in 3 files`,
      '',
    ])
  })

  it('does not tell the syncs of an invalid destination that it does not exist', async () => {
    const dir = await specDir({
      'source.yaml': SOURCE,
      'destination.yaml': DESTINATION.replace('{ secret: BRAZE_API_KEY }', '7f3e0c9a1b2d4e5f'),
      'misspelt-kind.yaml': DESTINATION.replace('kind: Destination', 'kind: Destinaton').replace('name: braze', 'name: loops'),
      'a.yaml': syncSpec('a', 'braze'),
      'b.yaml': syncSpec('b', 'braze', '  mapings: []\n'),
      'c.yaml': syncSpec('c', 'loops'),
    })
    expect((await run('validate', dir)).stdout.replaceAll(`${dir}/`, '').split('\n')).toEqual([
      'b.yaml:11:3  /spec/mapings  unknown property `mapings` (did you mean "mappings"?)',
      'destination.yaml:4:77  /spec/apiKey  a literal credential is not allowed in a spec: use `{ secret: NAME }` or `{ env: NAME }`',
      'misspelt-kind.yaml:2:7  /kind  unknown kind "Destinaton": expected `Source`, `Destination`, `Sync` or `Alert` (did you mean "Destination"?)',
      `${dir}: 3 errors in 3 files`,
      '',
    ])
  })
})
