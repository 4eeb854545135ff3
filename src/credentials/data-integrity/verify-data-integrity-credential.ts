import type { DidResolver } from '../../did/resolver.js'
import { AppError } from '../../errors/app-error.js'
import { parseDataIntegrityCredential, type ParsedCredential } from '../parsed-credential.js'
import type { CredentialCheck } from '../verify-jwt-credential.js'
import { failureReason, verifyCredentialProof } from './data-integrity.js'
import { createDocumentLoader } from './document-loader.js'

/**
 * Verifies a VC 2.0 JSON-LD credential with a Data Integrity proof before it is stored: the
 * subject and validity period first, then the proof. The proof must verify with a method that
 * the issuer's DID document lists under `assertionMethod`, and the method's controller must be
 * the issuer. DID documents come from the service's resolver and contexts from the bundle.
 */
export async function verifyDataIntegrityCredential(
  resolver: Pick<DidResolver, 'resolveDocument'>,
  raw: string,
  check: CredentialCheck,
): Promise<ParsedCredential> {
  const credential = parseDataIntegrityCredential(raw, { allowMissingBaseType: check.relaxedDataModel === true })
  if (credential.subjectId !== check.holderDid) {
    throw invalid(`the credential is issued to ${quote(credential.subjectId ?? 'nobody')}, not to ${quote(check.holderDid)}`)
  }
  const leewayMs = check.leewaySeconds * 1000
  if (credential.validFrom && credential.validFrom.getTime() > check.nowMs + leewayMs) {
    throw invalid(`the credential is not valid before ${credential.validFrom.toISOString()}`)
  }
  if (credential.validUntil && credential.validUntil.getTime() <= check.nowMs - leewayMs) {
    throw invalid(`the credential expired at ${credential.validUntil.toISOString()}`)
  }

  const result = await verifyCredentialProof(credential.document, {
    documentLoader: createDocumentLoader(resolver),
    now: new Date(check.nowMs),
    maxClockSkewSeconds: check.leewaySeconds,
    // Status is not part of intake, as for JWT credentials: the holder's status refresh reads
    // the lists and marks revoked or suspended credentials, which presentations then leave out.
    checkStatus: async () => ({ verified: true }),
  })
  if (!result.verified) {
    throw invalid(`the Data Integrity proof of the credential from ${quote(credential.issuer)} does not verify: ${failureReason(result)}`)
  }
  return credential
}

function invalid(message: string): AppError {
  return new AppError('ERR_CREDENTIAL_INVALID', message)
}

function quote(value: string): string {
  return JSON.stringify(value)
}
