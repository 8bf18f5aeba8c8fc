import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'

import { isCredentialName } from '../../src/spec/credential-name.js'
import { SCHEMA_BASE_URI, SPEC_SCHEMA_FILES } from '../../src/spec/spec-schemas.js'
import { checkSpecs } from '../helpers/check-specs.js'
import { formatProblem } from '../../src/spec/problem.js'

/** Names and name-shaped keys: runs of letters and digits, some joined by `_`, each starting with a letter. */
function* nameLikeStrings(count: number): Iterable<string> {
  let seed = 7
  // The high bits of a linear congruential generator: its low bits repeat within a few draws.
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return Math.floor((seed / 2 ** 31) * n)
  }
  for (let i = 0; i < count; i++) {
    let value = 'K'
    for (let run = 1 + next(24); run > 0; run--)
      value += (next(10) === 0 ? '_' : '') + (['a', 'Z', '4', '9'][next(4)] ?? '').repeat(1 + next(3))
    yield value
  }
}

describe('credential reference names', () => {
  it('accepts the names people give variables and Pulumi config keys', () => {
    for (const name of [
      'LOOPS_API_KEY',
      'DATABASE_URL',
      '_PRIVATE',
      'braze2024ApiKey',
      'snowflakePasswordProduction2024',
      'API_KEY_V2',
      'K',
    ]) {
      expect(isCredentialName(name), name).toBe(true)
    }
  })

  it('refuses what is no variable name, or reads like a generated key', () => {
    for (const value of [
      '',
      '7f3e0c9a1b2d4e5f', // starts with a digit
      'sk-live-abc123', // a dash
      'a7f3e0c9a1b2d4e5f6a7b8c9d0e1f2a3', // hex starting with a letter
      'sk_live_51HqLyjWDarjtT1zdp7dc9aB', // a Stripe-like key: underscores, then base62
      'AKIA2OGYBAH6STM3NXN7', // an AWS-like access key id
      'A'.repeat(129),
    ]) {
      expect(isCredentialName(value), value).toBe(false)
    }
  })

  it('are refused by the schema files alone exactly when the code refuses them, so editors and other validators agree', () => {
    const ajv = new Ajv2020()
    for (const schema of Object.values(SPEC_SCHEMA_FILES)) ajv.addSchema(schema)
    const validate = ajv.getSchema(`${SCHEMA_BASE_URI}shared/common.v1.schema.json#/$defs/credential`)
    const checked = [
      'LOOPS_API_KEY',
      'braze2024ApiKey',
      'a7f3e0c9a1b2d4e5f6a7b8c9d0e1f2a3',
      'sk_live_51HqLyjWDarjtT1zdp7dc9aB',
      'AKIA2OGYBAH6STM3NXN7',
    ]
    let keyLike = 0
    for (const value of [...checked, ...nameLikeStrings(20_000)]) {
      expect(validate?.({ secret: value }), value).toBe(isCredentialName(value))
      if (!isCredentialName(value)) keyLike++
    }
    expect(keyLike).toBeGreaterThan(1000)
  })

  it('says an empty reference is empty, and never quotes a bad one', () => {
    const destination = (apiKey: string) =>
      `apiVersion: outflow/v1\nkind: Destination\nmetadata: { name: c }\nspec: { type: courier, authToken: ${apiKey} }\n`
    const errors = (apiKey: string) => checkSpecs({ 'd.yaml': destination(apiKey) }).errors.map(formatProblem)
    expect(errors('{ env: "" }')).toEqual([
      'd.yaml:4:42  /spec/authToken/env  the env reference is empty: write the name of the variable that holds the credential',
    ])
    expect(errors('{ secret: "pk prod 123456" }')).toEqual([
      'd.yaml:4:45  /spec/authToken/secret  the secret reference is not a variable name; it looks like a credential pasted in place of a name (not shown) — put the value in Pulumi config (`pulumi config set --secret NAME`) or in the environment variable NAME, and write NAME here',
    ])
  })
})
