import type { JWTPayload } from 'jose'
import type { CredentialProfile } from '../credentials/credential-format.js'
import { credentialsContextV1, credentialsContextV2 } from '../credentials/status-list-credential.js'

export interface CredentialClaimsInput {
  profile: CredentialProfile
  /** `urn:uuid:` id of the credential; also the JWT `jti`. */
  id: string
  issuerDid: string
  holderDid: string
  credentialType: string
  contexts: readonly string[]
  subject: Record<string, unknown>
  statusEntries: Record<string, unknown>[]
  /** Start of validity, already backdated. */
  validFrom: Date
  validUntil: Date
}

/**
 * Builds the JWT claims of a credential. For `vc11-sl2021/jwt` the VC data model 1.1 object goes
 * in the `vc` claim and `iss`, `sub`, `nbf`, `iat`, `exp`, `jti` repeat its members, as VC-JWT
 * requires. For `vc20-bssl/jwt` the payload is the VC 2.0 credential itself.
 * @see https://www.w3.org/TR/vc-data-model-1.1/#jwt-encoding
 * @see https://www.w3.org/TR/vc-jose-cose/#securing-json-ld-verifiable-credentials-with-jose
 */
export function credentialClaims(input: CredentialClaimsInput): JWTPayload {
  if (input.profile === 'vc20-bssl/json-ld') throw new TypeError('vc20-bssl/json-ld credentials are JSON-LD documents, not JWT claims')
  const nbf = Math.floor(input.validFrom.getTime() / 1000)
  const exp = Math.floor(input.validUntil.getTime() / 1000)
  if (input.profile === 'vc11-sl2021/jwt') {
    const status = input.statusEntries.length === 1 ? input.statusEntries[0] : input.statusEntries
    const vc = {
      '@context': [credentialsContextV1, ...input.contexts],
      id: input.id,
      type: ['VerifiableCredential', input.credentialType],
      issuer: input.issuerDid,
      issuanceDate: input.validFrom.toISOString(),
      expirationDate: input.validUntil.toISOString(),
      credentialSubject: input.subject,
      credentialStatus: status,
    }
    return { iss: input.issuerDid, sub: input.holderDid, nbf, iat: nbf, exp, jti: input.id, vc }
  }
  return {
    ...credentialDocumentV2(input),
    iss: input.issuerDid,
    sub: input.holderDid,
    iat: nbf,
    exp,
  }
}

/**
 * Builds an unsigned VC 2.0 credential: the payload of `vc20-bssl/jwt` without its JWT claims,
 * and the document that a Data Integrity proof secures for `vc20-bssl/json-ld`.
 * @see https://www.w3.org/TR/vc-data-model-2.0/
 */
export function credentialDocumentV2(input: CredentialClaimsInput): Record<string, unknown> {
  const status = input.statusEntries.length === 1 ? input.statusEntries[0] : input.statusEntries
  return {
    '@context': [credentialsContextV2, ...input.contexts],
    id: input.id,
    type: ['VerifiableCredential', input.credentialType],
    issuer: input.issuerDid,
    validFrom: input.validFrom.toISOString(),
    validUntil: input.validUntil.toISOString(),
    credentialSubject: input.subject,
    credentialStatus: status,
  }
}
