import { readFileSync } from 'node:fs'
import { Value } from 'typebox/value'
import { parse as parseYaml } from 'yaml'
import { SeedDocument } from './seed-schema.js'

/** Raised for a seed file that cannot be read, parsed or validated; nothing of it is applied. */
export class SeedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SeedError'
  }
}

/** Reads a YAML or JSON seed file (JSON is YAML) and validates it, naming the path of a bad field. */
export function loadSeed(path: string): SeedDocument {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new SeedError(`cannot read seed file "${path}": ${(error as NodeJS.ErrnoException).code ?? 'read failed'}`)
  }
  let document: unknown
  try {
    document = parseYaml(text)
  } catch (error) {
    throw new SeedError(`seed file "${path}" is not valid YAML or JSON: ${(error as Error).message}`)
  }
  return validateSeed(document, path)
}

export function validateSeed(document: unknown, source: string): SeedDocument {
  if (Value.Check(SeedDocument, document)) {
    checkUnique(document, source)
    return document
  }
  const [first] = Value.Errors(SeedDocument, document)
  const field = first?.instancePath ? first.instancePath.split('/').filter(Boolean).join('.') : '(root)'
  // TypeBox reports a field that additionalProperties forbids as "schema is false".
  const reason = first?.message === 'schema is false' ? 'unknown field' : (first?.message ?? 'does not match the seed schema')
  throw new SeedError(`seed file "${source}" is invalid at "${field}": ${reason}`)
}

function checkUnique(document: SeedDocument, source: string): void {
  for (const key of ['id', 'did'] as const) {
    const seen = new Set<string>()
    document.participants.forEach((participant, index) => {
      if (seen.has(participant[key])) {
        throw new SeedError(`seed file "${source}" is invalid at "participants.${index}.${key}": "${participant[key]}" appears twice`)
      }
      seen.add(participant[key])
    })
  }
}
