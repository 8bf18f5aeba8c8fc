import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

import { compile } from 'json-schema-to-typescript'

/** Where the generated types live; `npm run gen:types` writes it, a test pins it. */
export const GENERATED_TYPES_FILE = fileURLToPath(new URL('../src/model/spec-document-types.generated.ts', import.meta.url))

const SCHEMA_DIR = fileURLToPath(new URL('../schema/', import.meta.url))

const BANNER = `/**
 * Types of the spec documents as written in YAML, generated from schema/*.json by
 * \`npm run gen:types\`. Do not edit: change the schema and regenerate (a test checks they match).
 */`

/** Generates TypeScript types for every document kind from the umbrella schema. */
export async function generateSpecTypes(): Promise<string> {
  const schema = JSON.parse(await readFile(`${SCHEMA_DIR}outflow.v1.schema.json`, 'utf8')) as Parameters<typeof compile>[0]
  return compile(schema, 'OutflowDocument', {
    cwd: SCHEMA_DIR,
    bannerComment: BANNER,
    additionalProperties: false,
    format: true,
    style: { semi: false, singleQuote: true, trailingComma: 'all', printWidth: 120 },
  })
}
