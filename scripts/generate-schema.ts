// Writes the published JSON Schema of exported maps from the zod model: `npm run schema`.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MAP_JSON_SCHEMA_PATH, mapJsonSchemaText } from '../shared/formats/jsonSchema'

const target = fileURLToPath(new URL(`../${MAP_JSON_SCHEMA_PATH}`, import.meta.url))
writeFileSync(target, mapJsonSchemaText())
console.log(`wrote ${target}`)
