import type { JWTPayload } from 'jose'
import { DidError } from '../did/did-error.js'
import { resolveVerificationKey, type KeyResolver } from '../did/verification-key.js'
import { purposeOf } from '../did/verification-method.js'
import { AppError } from '../errors/app-error.js'
import { jwsSignatureVerifies } from '../keys/jws-public-key.js'
import { parseJwtCredential, type ParsedCredential, type ParsedJwtCredential } from './parsed-credential.js'

export interface CredentialCheck {
  /** DID the credential must be issued to. */
  holderDid: string
  nowMs: number
  leewaySeconds: number
  /**
   * Skips two VC data model rules for an issuer the holder admitted with relaxed checks: the
   * `VerifiableCredential` type, and a JWT `sub` equal to the holder. `credentialSubject.id`
   * must still be the holder, and signature, issuer and dates are checked as always.
   */
  relaxedDataModel?: boolean
}

/**
 * Verifies a JWT credential before it is stored: the signature with an `assertionMethod` key of
 * the issuer's DID document (so the signer is the issuer), the subject, and the validity period.
 */
export async function verifyJwtCredential(
  resolver: KeyResolver,
  raw: string,
  check: CredentialCheck,
): Promise<ParsedCredential> {
  const relaxed = check.relaxedDataModel === true
  const credential = parseJwtCredential(raw, { allowMissingBaseType: relaxed })
  const { header, issuer } = credential

  checkIssuerClaim(credential)
  checkCredentialSubject(credential, check.holderDid, relaxed)
  checkValidity(credential, check)

  const { key } = await resolveVerificationKey(resolver, {
    did: issuer,
    kid: header.kid,
    alg: header.alg,
    purpose: purposeOf.credential,
  }).catch((error: unknown) => {
    // The sender is authenticated already; a credential whose key cannot be found is bad content.
    if (error instanceof DidError) throw invalid(`the key of issuer ${quote(issuer)} is not usable: ${error.message}`)
    throw error
  })
  if (!jwsSignatureVerifies(raw, key)) {
    throw invalid(`the signature of the credential does not verify with the key of ${quote(issuer)}`)
  }
  return credential
}

/** Checks that a JWT `iss`, when present, names the credential's issuer. */
export function checkIssuerClaim(credential: ParsedCredential): void {
  const { issuer } = credential
  const payload = claimsOf(credential)
  if (typeof payload.iss === 'string' && payload.iss !== issuer) {
    throw invalid(`the credential "iss" ${quote(payload.iss)} differs from its issuer ${quote(issuer)}`)
  }
}

/**
 * Checks that the credential is issued to the holder: `credentialSubject.id`, and the JWT `sub`
 * unless `relaxed` admits another `sub`.
 */
export function checkCredentialSubject(credential: ParsedCredential, holderDid: string, relaxed: boolean): void {
  const payload = claimsOf(credential)
  if (credential.subjectId !== holderDid) {
    throw invalid(`the credential is issued to ${quote(credential.subjectId ?? 'nobody')}, not to ${quote(holderDid)}`)
  }
  if (!relaxed && typeof payload.sub === 'string' && payload.sub !== holderDid) {
    throw invalid(`the credential "sub" ${quote(payload.sub)} is not ${quote(holderDid)}`)
  }
}

/** Checks the validity period, `validFrom` to `validUntil`, with the clock leeway. */
export function checkValidity(credential: ParsedCredential, check: Pick<CredentialCheck, 'nowMs' | 'leewaySeconds'>): void {
  const leewayMs = check.leewaySeconds * 1000
  if (credential.validFrom && credential.validFrom.getTime() > check.nowMs + leewayMs) {
    throw invalid(`the credential is not valid before ${credential.validFrom.toISOString()}`)
  }
  if (credential.validUntil && credential.validUntil.getTime() <= check.nowMs - leewayMs) {
    throw invalid(`the credential expired at ${credential.validUntil.toISOString()}`)
  }
}

function invalid(message: string): AppError {
  return new AppError('ERR_CREDENTIAL_INVALID', message)
}

function quote(value: string): string {
  return JSON.stringify(value)
}

/** Returns the JWT claims of a JWT credential, and none for a Data Integrity credential. */
function claimsOf(credential: ParsedCredential): JWTPayload {
  return 'payload' in credential ? (credential as ParsedJwtCredential).payload : {}
}
