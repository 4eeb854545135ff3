import { AppError } from '../errors/app-error.js'
import type { ErrorCode } from '../errors/codes.js'

/** The error codes of DID resolution and verification method selection. */
export type DidErrorCode = Extract<ErrorCode, `ERR_DID_${string}`>

/** A DID could not be resolved, or its document has no usable key for the request. */
export class DidError extends AppError {
  declare readonly code: DidErrorCode

  constructor(code: DidErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'DidError'
  }
}

/**
 * Error values of `didResolutionMetadata.error`, from the vocabulary of the DID Resolution
 * specification that `did-resolver` uses.
 * @see https://www.w3.org/TR/did-core/#did-resolution-metadata
 */
export type ResolutionErrorValue = 'invalidDid' | 'notFound' | 'unsupportedDidMethod' | 'invalidDidDocument'

const resolutionErrorOf: Record<DidErrorCode, ResolutionErrorValue> = {
  ERR_DID_INVALID: 'invalidDid',
  ERR_DID_METHOD_UNSUPPORTED: 'unsupportedDidMethod',
  ERR_DID_NOT_FOUND: 'notFound',
  // Every failure to retrieve the document is reported as notFound, as web-did-resolver does.
  // The code in the metadata distinguishes them.
  ERR_DID_RESOLUTION_FAILED: 'notFound',
  ERR_DID_RESOLUTION_TIMEOUT: 'notFound',
  ERR_DID_ADDRESS_REFUSED: 'notFound',
  ERR_DID_REDIRECT_REFUSED: 'notFound',
  ERR_DID_DOCUMENT_TOO_LARGE: 'invalidDidDocument',
  ERR_DID_DOCUMENT_INVALID: 'invalidDidDocument',
  ERR_DID_ID_MISMATCH: 'invalidDidDocument',
  ERR_DID_KEY_NOT_FOUND: 'invalidDidDocument',
  ERR_DID_KEY_AMBIGUOUS: 'invalidDidDocument',
  ERR_DID_KEY_RELATIONSHIP: 'invalidDidDocument',
  ERR_DID_KEY_INVALID: 'invalidDidDocument',
}

/** Returns the resolution error value that stands for a code in `didResolutionMetadata`. */
export function resolutionErrorOfCode(code: DidErrorCode): ResolutionErrorValue {
  return resolutionErrorOf[code]
}

export function isDidErrorCode(value: unknown): value is DidErrorCode {
  return typeof value === 'string' && Object.hasOwn(resolutionErrorOf, value)
}

/**
 * Quotes text from a remote party for an error message: JSON escaping keeps control characters
 * out of logs, and the cut keeps messages short.
 */
export function quoteRemote(text: string, maxLength = 120): string {
  const cut = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text
  return JSON.stringify(cut)
}
