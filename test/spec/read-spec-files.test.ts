import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it, onTestFinished } from 'vitest'

import { readSpecFiles } from '../../src/spec/read-spec-files.js'
import { parseFileSize } from '../../src/spec/spec-file-size.js'

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outflow-read-'))
  onTestFinished(() => rm(dir, { recursive: true, force: true }))
  return dir
}

describe('readSpecFiles', () => {
  it('reads files up to the limit exactly, and refuses one byte more', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'a.yaml'), 'x'.repeat(100))
    await writeFile(join(dir, 'b.yaml'), 'x'.repeat(101))
    expect(await readSpecFiles(dir, { maxFileSize: 100 })).toEqual([
      { path: join(dir, 'a.yaml'), dir, text: 'x'.repeat(100) },
      {
        path: join(dir, 'b.yaml'),
        refused:
          'is 101 bytes, more than the 100 bytes a spec file may be: refused without reading it (raise the limit with --max-file-size or OUTFLOW_MAX_FILE_SIZE)',
      },
    ])
  })

  it('refuses a file that is not UTF-8 text', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'image.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]))
    expect(await readSpecFiles(join(dir, 'image.yaml'))).toEqual([
      { path: join(dir, 'image.yaml'), refused: 'is not UTF-8 text (YAML spec files are UTF-8): refused' },
    ])
  })

  it('follows a link the user names, but not one found inside a directory', async () => {
    const dir = await tempDir()
    await mkdir(join(dir, 'specs'))
    await writeFile(join(dir, 'real.yaml'), 'kind: Source\n')
    await symlink(join(dir, 'real.yaml'), join(dir, 'specs', 'link.yaml'))
    expect(await readSpecFiles(join(dir, 'specs', 'link.yaml'))).toEqual([
      { path: join(dir, 'specs', 'link.yaml'), dir: join(dir, 'specs'), text: 'kind: Source\n' },
    ])
    const [found] = await readSpecFiles(join(dir, 'specs'))
    expect(found).toEqual({
      path: join(dir, 'specs', 'link.yaml'),
      refused: expect.stringMatching(/^not a regular file \(a symbolic link/) as unknown,
    })
  })
})

describe('parseFileSize', () => {
  it('reads bytes, KiB and MiB within 1 byte to 16 MiB', () => {
    expect(parseFileSize('65536')).toBe(65536)
    expect(parseFileSize('512KiB')).toBe(512 * 1024)
    expect(parseFileSize('2 MiB')).toBe(2 * 1024 * 1024)
    expect(parseFileSize('16MiB')).toBe(16 * 1024 * 1024)
    for (const bad of ['0', '17MiB', '1.5MiB', '1GiB', '-1', '', 'lots', '1e6']) expect(parseFileSize(bad), bad).toBeUndefined()
  })
})
