import { SeedDocument } from './seed-schema.js'

/**
 * Renders the seed file's JSON Schema, so editors and CI can check a seed ConfigMap before the
 * service reads it. Draft 2020-12, as TypeBox writes it.
 */
export function renderSeedJsonSchema(): string {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'dcp-identity seed file',
    ...(JSON.parse(JSON.stringify(SeedDocument)) as Record<string, unknown>),
  }
  return `${JSON.stringify(schema, null, 2)}\n`
}
