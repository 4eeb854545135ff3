// Writes docs/seed.schema.json from the seed file's TypeBox schema (needs `npm run build`).
import { writeFileSync } from 'node:fs'
import { renderSeedJsonSchema } from '../dist/seed/seed-json-schema.js'

writeFileSync(new URL('../docs/seed.schema.json', import.meta.url), renderSeedJsonSchema())
