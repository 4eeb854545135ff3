import type { DIDDocument } from 'did-resolver'
import { DidError, quoteRemote } from './did-error.js'

/** The verification relationships of DID Core, each a list of method references or methods. */
export const verificationRelationships = [
  'authentication',
  'assertionMethod',
  'keyAgreement',
  'capabilityInvocation',
  'capabilityDelegation',
] as const

/**
 * Checks that a parsed body is the DID document of `did`: a JSON object whose `id` equals the
 * DID and whose method and relationship lists have the DID Core shape, so later code can walk
 * them without type checks. Throws `ERR_DID_ID_MISMATCH` or `ERR_DID_DOCUMENT_INVALID`.
 */
export function checkDidDocument(body: unknown, did: string): DIDDocument {
  if (!isObject(body)) throw invalid(did, 'is not a JSON object')
  if (typeof body.id !== 'string') throw invalid(did, 'has no string "id"')
  if (body.id !== did) {
    throw new DidError(
      'ERR_DID_ID_MISMATCH',
      `DID document id ${quoteRemote(body.id)} does not match the DID ${quoteRemote(did)}`,
    )
  }

  if (!isListOf(body.verificationMethod, isMethod)) {
    throw invalid(did, 'has a "verificationMethod" that is not a list of objects with a string "id"')
  }
  for (const relationship of verificationRelationships) {
    if (!isListOf(body[relationship], (entry) => typeof entry === 'string' || isMethod(entry))) {
      throw invalid(did, `has a "${relationship}" that is not a list of method ids or methods`)
    }
  }
  if (!isListOf(body.service, isObject)) throw invalid(did, 'has a "service" that is not a list of objects')
  return body as DIDDocument
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isMethod(value: unknown): boolean {
  return isObject(value) && typeof value.id === 'string'
}

/** Tests that an optional property is absent or an array whose entries all pass the test. */
function isListOf(value: unknown, test: (entry: unknown) => boolean): boolean {
  return value === undefined || (Array.isArray(value) && value.every(test))
}

function invalid(did: string, reason: string): DidError {
  return new DidError('ERR_DID_DOCUMENT_INVALID', `DID document of ${quoteRemote(did)} ${reason}`)
}
