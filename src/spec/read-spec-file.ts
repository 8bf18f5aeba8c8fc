import { constants, type Stats } from 'node:fs'
import { lstat, open, stat, type FileHandle } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

import type { RefusedSpecFile, SpecFile } from './spec-file.js'
import { formatBytes, MAX_FILE_SIZE_ENV } from './spec-file-size.js'

/** Options for {@link readSpecFile}. */
export interface ReadSpecFileOptions {
  /** The largest file read, in bytes; a larger one is refused unread. */
  maxBytes: number
  /**
   * Whether a symbolic link is followed. A path the user named is; a link found while searching
   * a directory is not, so that a spec directory cannot make Outflow read a file outside it
   * (and a pull request that adds one cannot make CI print parts of that file).
   */
  followLinks: boolean
}

/*
 * O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever. It changes
 * nothing for a regular file. O_NOFOLLOW refuses a link swapped in after the first check.
 * Windows has neither; there they are 0.
 */
const platformFlag = (name: 'O_NONBLOCK' | 'O_NOFOLLOW'): number => (constants as Partial<Record<string, number>>)[name] ?? 0
const OPEN_FLAGS = constants.O_RDONLY | platformFlag('O_NONBLOCK')
const NO_FOLLOW = platformFlag('O_NOFOLLOW')

/**
 * Reads one spec file, or says why not: only a regular file is read (never a device such as
 * `/dev/zero`, a FIFO or a socket, which are not even opened), only up to `maxBytes`, and only
 * as UTF-8. Never throws for the file itself, so one bad file cannot stop the others being checked.
 */
export async function readSpecFile(path: string, options: ReadSpecFileOptions): Promise<SpecFile | RefusedSpecFile> {
  const refuse = (refused: string): RefusedSpecFile => ({ path, refused })
  try {
    const before = await (options.followLinks ? stat(path) : lstat(path))
    const unfit = describeUnfit(before, options.maxBytes)
    if (unfit !== undefined) return refuse(unfit)
    const handle = await open(path, OPEN_FLAGS | (options.followLinks ? 0 : NO_FOLLOW))
    try {
      // Checked again on the open file: the path may have been replaced since.
      const info = await handle.stat()
      const changed = describeUnfit(info, options.maxBytes)
      if (changed !== undefined) return refuse(changed)
      const bytes = await readAtMost(handle, options.maxBytes + 1)
      if (bytes.length > options.maxBytes) return refuse(describeTooLarge(bytes.length, options.maxBytes, 'over'))
      const text = decodeUtf8(bytes)
      if (text === undefined) return refuse('is not UTF-8 text (YAML spec files are UTF-8): refused')
      return { path, dir: dirname(resolve(path)), text }
    } finally {
      await handle.close()
    }
  } catch (error) {
    return refuse(describeReadError(error))
  }
}

function describeUnfit(info: Stats, maxBytes: number): string | undefined {
  if (!info.isFile()) return `not a regular file (${fileKind(info)}): refused without reading it`
  if (info.size > maxBytes) return describeTooLarge(info.size, maxBytes, 'exact')
  return undefined
}

function describeTooLarge(size: number, maxBytes: number, precision: 'exact' | 'over'): string {
  const measured = precision === 'exact' ? `is ${formatBytes(size)}` : `is over ${formatBytes(maxBytes)}`
  return `${measured}, more than the ${formatBytes(maxBytes)} a spec file may be: refused without reading it (raise the limit with --max-file-size or ${MAX_FILE_SIZE_ENV})`
}

const SYMBOLIC_LINK = 'a symbolic link, not followed inside a spec directory: name the file itself to check it'

function fileKind(info: Stats): string {
  if (info.isSymbolicLink()) return SYMBOLIC_LINK
  if (info.isDirectory()) return 'a directory'
  if (info.isFIFO()) return 'a FIFO'
  if (info.isSocket()) return 'a socket'
  if (info.isCharacterDevice()) return 'a character device'
  if (info.isBlockDevice()) return 'a block device'
  return 'of an unknown kind'
}

/** Reads from the start until `limit` bytes or the end of the file, whichever comes first. */
async function readAtMost(handle: FileHandle, limit: number): Promise<Buffer> {
  const buffer = Buffer.alloc(limit)
  let filled = 0
  while (filled < limit) {
    const { bytesRead } = await handle.read(buffer, filled, limit - filled, filled)
    if (bytesRead === 0) break
    filled += bytesRead
  }
  return buffer.subarray(0, filled)
}

/** The text, or undefined when the bytes are not UTF-8: a binary file is named as such, not parsed into a screen of YAML errors. */
function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code
  // O_NOFOLLOW met a link that replaced the file after it was checked.
  if (code === 'ELOOP') return `not a regular file (${SYMBOLIC_LINK}): refused without reading it`
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied'
  if (code === 'ENOENT') return 'cannot be read: it no longer exists'
  return `cannot be read: ${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)}`
}
