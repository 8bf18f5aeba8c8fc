import { BENCH_CREDENTIALS } from './sync-bench-workspace.js'

/** Users read back, spread over the model: the most external_ids one `/users/export/ids` takes. */
const SAMPLE_SIZE = 50

/** How many of the users read back the emulator holds, with the email the model gave them. */
export interface ReadBack {
  checked: number
  found: number
}

/**
 * Reads users spread over the model back from the Braze emulator at `url` and checks each one's
 * email, so that a figure also shows the emulator stored what it accepted. The model's user_ids
 * are 0 to rows - 1 and its emails `user<id>@example.com` (diff-bench-data.ts).
 */
export async function readBackSample(url: string, rows: number): Promise<ReadBack> {
  const ids = [...new Set(Array.from({ length: SAMPLE_SIZE }, (_, i) => Math.floor((i * (rows - 1)) / (SAMPLE_SIZE - 1))))]
  const response = await fetch(`${url}/users/export/ids`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_CREDENTIALS['BRAZE_API_KEY'] ?? ''}`, 'content-type': 'application/json' },
    body: JSON.stringify({ external_ids: ids.map(String), fields_to_export: ['external_id', 'email'] }),
  })
  const { users = [] } = (await response.json()) as { users?: { external_id?: string; email?: string }[] }
  const found = users.filter((user) => user.email === `user${user.external_id ?? ''}@example.com`).length
  return { checked: ids.length, found }
}
