import { writeFile } from 'node:fs/promises'

import { GENERATED_TYPES_FILE, generateSpecTypes } from './spec-types-generator.js'

await writeFile(GENERATED_TYPES_FILE, await generateSpecTypes())
console.log(`wrote ${GENERATED_TYPES_FILE}`)
