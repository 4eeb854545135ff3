import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose'
import { AppError } from '../errors/app-error.js'
import type { CredentialProfile } from './credential-format.js'

/** The fields of a stored credential that selection, checks and presentations use. */
export interface ParsedCredential {
  profile: CredentialProfile
  /** The credential as received: a compact JWS, or the JSON text of a Data Integrity credential. */
  raw: string
  /** `id` of the credential, when it has one. */
  credentialId: string | undefined
  types: string[]
  issuer: string
  /** `credentialSubject.id`; with several subjects, the first one's. */
  subjectId: string | undefined
  validFrom: Date | undefined
  validUntil: Date | undefined
  /** `credentialStatus` entries, as an array. */
  statusEntries: Record<string, unknown>[]
  /** The VC data model object: the `vc` claim for VC 1.1, the payload for VC 2.0 JWT, the JSON-LD object for Data Integrity. */
  document: Record<string, unknown>
}

/** A JWT credential, with the JOSE header and claims that its verification reads. */
export interface ParsedJwtCredential extends ParsedCredential {
  header: { alg: string; kid: string | undefined; typ: string | undefined }
  payload: JWTPayload
}

export interface ParseOptions {
  /**
   * Accepts a `type` without `VerifiableCredential`, which the VC data model requires. Only for
   * issuers an administrator admitted with relaxed checks.
   */
  allowMissingBaseType?: boolean
}

/**
 * Decodes a JWT credential without verifying it: VC 1.1 with a `vc` claim (`vc11-sl2021/jwt`),
 * or VC 2.0 whose payload is the credential (`vc20-bssl/jwt`, enveloped proof).
 * @see https://www.w3.org/TR/vc-data-model/#jwt-encoding
 * @see https://www.w3.org/TR/vc-jose-cose/#securing-with-jose
 */
export function parseJwtCredential(raw: string, options: ParseOptions = {}): ParsedJwtCredential {
  let header: ReturnType<typeof decodeProtectedHeader>
  let payload: JWTPayload
  try {
    header = decodeProtectedHeader(raw)
    payload = decodeJwt(raw)
  } catch {
    throw invalid('the credential is not a compact JWS with JSON header and claims')
  }
  if (typeof header.alg !== 'string') throw invalid('the credential header has no "alg"')

  const isV11 = isObject(payload.vc)
  const document = (isV11 ? payload.vc : payload) as Record<string, unknown>
  const types = typesOf(document)
  const issuer = issuerOf(document) ?? (typeof payload.iss === 'string' ? payload.iss : undefined)
  if (!issuer) throw invalid('the credential has no issuer')
  if (!options.allowMissingBaseType && !types.includes('VerifiableCredential')) throw invalid('the credential "type" does not contain "VerifiableCredential"')

  return {
    profile: isV11 ? 'vc11-sl2021/jwt' : 'vc20-bssl/jwt',
    raw,
    credentialId: typeof document.id === 'string' ? document.id : typeof payload.jti === 'string' ? payload.jti : undefined,
    types,
    issuer,
    subjectId: subjectIdOf(document) ?? (typeof payload.sub === 'string' ? payload.sub : undefined),
    validFrom: dateOf(isV11 ? document.issuanceDate ?? document.validFrom : document.validFrom, payload.nbf),
    validUntil: dateOf(isV11 ? document.expirationDate ?? document.validUntil : document.validUntil, payload.exp),
    statusEntries: arrayOf(document.credentialStatus).filter(isObject),
    document,
    header: {
      alg: header.alg,
      kid: typeof header.kid === 'string' ? header.kid : undefined,
      typ: typeof header.typ === 'string' ? header.typ : undefined,
    },
    payload,
  }
}

/**
 * Reads a VC 2.0 JSON-LD credential with an embedded proof (`vc20-bssl/json-ld`) without
 * verifying it. `raw` is its JSON text, kept unchanged for presentations.
 * @see https://www.w3.org/TR/vc-data-integrity/
 */
export function parseDataIntegrityCredential(raw: string, options: ParseOptions = {}): ParsedCredential {
  let document: unknown
  try {
    document = JSON.parse(raw)
  } catch {
    throw invalid('the credential is neither a compact JWS nor a JSON object')
  }
  if (!isObject(document)) throw invalid('the credential is not a JSON object')
  const contexts = arrayOf(document['@context'])
  if (contexts[0] !== 'https://www.w3.org/ns/credentials/v2') {
    throw invalid('the first "@context" of a Data Integrity credential must be "https://www.w3.org/ns/credentials/v2"')
  }
  if (!isObject(document.proof) && !Array.isArray(document.proof)) throw invalid('the credential has no "proof"')
  const types = typesOf(document)
  const issuer = issuerOf(document)
  if (!issuer) throw invalid('the credential has no issuer')
  if (!options.allowMissingBaseType && !types.includes('VerifiableCredential')) throw invalid('the credential "type" does not contain "VerifiableCredential"')

  return {
    profile: 'vc20-bssl/json-ld',
    raw,
    credentialId: typeof document.id === 'string' ? document.id : undefined,
    types,
    issuer,
    subjectId: subjectIdOf(document),
    validFrom: dateOf(document.validFrom, undefined),
    validUntil: dateOf(document.validUntil, undefined),
    statusEntries: arrayOf(document.credentialStatus).filter(isObject),
    document,
  }
}

function typesOf(document: Record<string, unknown>): string[] {
  return arrayOf(document.type).filter((type): type is string => typeof type === 'string')
}

function issuerOf(document: Record<string, unknown>): string | undefined {
  const issuer = document.issuer
  if (typeof issuer === 'string') return issuer
  if (isObject(issuer) && typeof issuer.id === 'string') return issuer.id
  return undefined
}

function subjectIdOf(document: Record<string, unknown>): string | undefined {
  const [subject] = arrayOf(document.credentialSubject)
  return isObject(subject) && typeof subject.id === 'string' ? subject.id : undefined
}

function dateOf(value: unknown, fallbackSeconds: unknown): Date | undefined {
  if (typeof value === 'string') {
    const date = new Date(value)
    if (Number.isNaN(date.getTime())) throw invalid(`the credential has an invalid date ${JSON.stringify(value)}`)
    return date
  }
  return typeof fallbackSeconds === 'number' ? new Date(fallbackSeconds * 1000) : undefined
}

function arrayOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(message: string): AppError {
  return new AppError('ERR_CREDENTIAL_INVALID', message)
}
