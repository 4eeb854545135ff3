import type { DIDDocument, DIDResolutionResult } from 'did-resolver'
import { resolutionErrorOfCode, type DidError } from './did-error.js'

/**
 * Builds the result of a successful resolution. The content type follows DID Core: JSON-LD when
 * the document has an `@context`, plain JSON otherwise.
 */
export function resolvedResult(document: DIDDocument): DIDResolutionResult {
  const contentType = document['@context'] === undefined ? 'application/did+json' : 'application/did+ld+json'
  return { didResolutionMetadata: { contentType }, didDocument: document, didDocumentMetadata: {} }
}

/**
 * Builds the result of a failed resolution: the DID Resolution error value, the message, and the
 * service's error code, which `did-resolver` metadata may carry as an extension.
 */
export function failedResult(error: DidError): DIDResolutionResult {
  return {
    didResolutionMetadata: { error: resolutionErrorOfCode(error.code), message: error.message, code: error.code },
    didDocument: null,
    didDocumentMetadata: {},
  }
}
