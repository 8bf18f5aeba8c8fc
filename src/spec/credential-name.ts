/*
 * A credential reference names a variable (`{ secret: LOOPS_API_KEY }`). People paste the key
 * itself there by mistake, and an error that quotes it would publish it: in a CI log, in a pull
 * request annotation. So what stands in a reference is checked here and, when it is not a name,
 * described without ever being repeated.
 */

/** The form of a variable name; the schema's `pattern` for `secret` and `env` says the same. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The longest name accepted; the schema's `maxLength` says the same. Real names are far shorter. */
export const CREDENTIAL_NAME_MAX_LENGTH = 128

/*
 * Generated keys (hex, base62) alternate letters and digits many times over a long stretch;
 * names people write (`LOOPS_API_KEY`, `braze2024ApiKey`) do so a few times at most. A 16-character
 * random hex or base62 string has about 8 such switches on average.
 */
const KEY_LIKE_MIN_LENGTH = 16
const KEY_LIKE_MIN_SWITCHES = 6

/**
 * Whether `value` can name a credential: a variable name of bounded length that does not read
 * like a generated key. Anything else must not be shown to anyone.
 */
export function isCredentialName(value: string): boolean {
  return value.length <= CREDENTIAL_NAME_MAX_LENGTH && VARIABLE_NAME.test(value) && !readsLikeKey(value)
}

/**
 * True when some `_`-separated part of `value` is long and switches between letters and digits often.
 * The schema's `generatedKey` pattern says the same, so editors refuse what `validate` refuses (a test checks).
 */
export function readsLikeKey(value: string): boolean {
  return value.split('_').some((part) => part.length >= KEY_LIKE_MIN_LENGTH && letterDigitSwitches(part) >= KEY_LIKE_MIN_SWITCHES)
}

function letterDigitSwitches(text: string): number {
  let switches = 0
  for (let i = 1; i < text.length; i++) {
    if (isDigit(text[i - 1] ?? '') !== isDigit(text[i] ?? '')) switches++
  }
  return switches
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9'
}

/**
 * What to say about a reference under `property` (`secret` or `env`) that holds `value` where a
 * name belongs. The value itself is never part of the message.
 */
export function describeBadCredentialName(property: string, value: unknown): string {
  const reference = property === 'env' ? 'env' : 'secret'
  if (value === '') return `the ${reference} reference is empty: write the name of the variable that holds the credential`
  const where =
    reference === 'env'
      ? 'put the value in an environment variable and write its name here'
      : 'put the value in Pulumi config (`pulumi config set --secret NAME`) or in the environment variable NAME, and write NAME here'
  return `the ${reference} reference is not a variable name; it looks like a credential pasted in place of a name (not shown) — ${where}`
}

/** What to say about a key in a credential reference that is neither `secret` nor `env` and may itself be a credential. */
export const BAD_CREDENTIAL_KEY_MESSAGE =
  'a credential reference takes `secret` or `env`; it has another key, not shown, that looks like a credential pasted in place of a name — put the value in the environment or in Pulumi config, and write `{ secret: NAME }` or `{ env: NAME }`'
