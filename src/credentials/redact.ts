/**
 * Replaces every occurrence of the given secrets in `text` with `***`: a last guard for messages
 * built from driver or vendor errors, which Outflow does not control. URL-encoded forms are
 * replaced too, since connection URLs carry passwords encoded.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***')
  }
  return out
}
