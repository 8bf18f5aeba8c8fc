import { isRecord } from '../../../src/util/is-record.js'
import { jsonResponse, type EmulatorRequest, type EmulatorResponse } from '../../../src/emulators/emulator-http.js'
import type { BrazeSegment, BrazeState } from './braze-state.js'

/** Segments per `/segments/list` page (reference section 2.2). */
const SEGMENTS_PER_PAGE = 100

/** `GET /segments/list?page=0&sort_direction=asc|desc`: 100 segments a page, oldest first unless `desc`. */
export function listSegments(request: EmulatorRequest, state: BrazeState): EmulatorResponse {
  const page = Math.max(0, Number.parseInt(request.query.get('page') ?? '0', 10) || 0)
  const ordered = request.query.get('sort_direction') === 'desc' ? [...state.segments].reverse() : state.segments
  return jsonResponse(200, { message: 'success', segments: ordered.slice(page * SEGMENTS_PER_PAGE, (page + 1) * SEGMENTS_PER_PAGE) })
}

/**
 * Adds segments, from the config or `POST /_emulator/seed` with `{ "segments": [{ "id", "name",
 * "analytics_tracking_enabled"?, "tags"? }] }`; returns problems and applies nothing if any.
 */
export function applyBrazeSeed(state: BrazeState, seed: unknown): string[] {
  const segments = isRecord(seed) && Array.isArray(seed['segments']) ? (seed['segments'] as unknown[]) : undefined
  if (segments === undefined) return ['expected an object with a "segments" array']
  const problems = segments.flatMap((segment, index) =>
    isRecord(segment) && typeof segment['id'] === 'string' && typeof segment['name'] === 'string'
      ? []
      : [`/segments/${index} needs string "id" and "name"`],
  )
  if (problems.length > 0) return problems
  for (const segment of segments as Partial<BrazeSegment>[]) {
    state.segments.push({
      id: String(segment.id),
      name: String(segment.name),
      analytics_tracking_enabled: segment.analytics_tracking_enabled === true,
      tags: Array.isArray(segment.tags) ? segment.tags.map(String) : [],
    })
  }
  return []
}
