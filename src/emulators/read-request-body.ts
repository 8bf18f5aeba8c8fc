import type { IncomingMessage } from 'node:http'

/** A request body as read from the socket. */
export type RequestBody =
  { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'invalid-json' } | { kind: 'too-large'; limitBytes: number }

/**
 * Reads a request body as JSON, up to `limitBytes`. A larger body is still read to its end (and
 * thrown away) so that the answer, 413, reaches a client that is still sending.
 */
export async function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<RequestBody> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= limitBytes) chunks.push(chunk)
  }
  if (size > limitBytes) return { kind: 'too-large', limitBytes }
  const raw = Buffer.concat(chunks).toString('utf8')
  if (raw.trim() === '') return { kind: 'empty' }
  try {
    return { kind: 'json', value: JSON.parse(raw) as unknown }
  } catch {
    return { kind: 'invalid-json' }
  }
}
