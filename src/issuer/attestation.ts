import { Ajv, type ValidateFunction } from 'ajv'
import { AppError } from '../errors/app-error.js'
import type { CredentialDefinition } from './credential-definition.js'

/** Raised when a holder lacks what a definition needs; the request is then rejected with the message. */
export class AttestationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AttestationError'
  }
}

const ajv = new Ajv({ allErrors: false, strict: false })
const compiled = new WeakMap<object, ValidateFunction>()

/** Compiles a subject schema, raising ERR_ISSUER_SUBJECT_SCHEMA_INVALID when it is not a valid JSON Schema. */
export function compileSubjectSchema(schema: Record<string, unknown>): ValidateFunction {
  const cached = compiled.get(schema)
  if (cached) return cached
  try {
    const validate = ajv.compile(schema)
    compiled.set(schema, validate)
    return validate
  } catch (error) {
    throw new AppError('ERR_ISSUER_SUBJECT_SCHEMA_INVALID', `"subjectSchema" does not compile: ${(error as Error).message}`)
  }
}

/**
 * Builds the `credentialSubject` of a credential for a holder: `id` is the holder DID, and each
 * claim is a fixed value or the holder attribute it names. A missing attribute or a subject
 * that fails the definition's schema raises an `AttestationError`.
 */
export function attestSubject(
  definition: CredentialDefinition,
  holderDid: string,
  attributes: Record<string, unknown>,
): Record<string, unknown> {
  const subject: Record<string, unknown> = { id: holderDid }
  for (const [name, mapping] of Object.entries(definition.claims)) {
    if ('value' in mapping) {
      subject[name] = mapping.value
      continue
    }
    const value = attributes[mapping.attribute]
    if (value === undefined || value === null || value === '') {
      throw new AttestationError(`holder has no attribute "${mapping.attribute}" for claim "${name}" of ${definition.credentialType}`)
    }
    subject[name] = value
  }
  if (definition.subjectSchema !== null) {
    const validate = compileSubjectSchema(definition.subjectSchema)
    if (!validate(subject)) {
      const first = validate.errors?.[0]
      throw new AttestationError(
        `credentialSubject of ${definition.credentialType} fails its schema at "${first?.instancePath ?? ''}": ${first?.message ?? 'invalid'}`,
      )
    }
  }
  return subject
}
