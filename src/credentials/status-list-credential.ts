import type { JWTPayload } from 'jose'
import type { CredentialProfile } from './credential-format.js'
import type { StatusListProofFormat, StatusListType, StatusPurpose } from './status-list.js'

export const credentialsContextV1 = 'https://www.w3.org/2018/credentials/v1'
export const credentialsContextV2 = 'https://www.w3.org/ns/credentials/v2'
export const statusList2021Context = 'https://w3id.org/vc/status-list/2021/v1'

/** Returns the status list type that credentials of a profile refer to. */
export function statusListTypeOf(profile: CredentialProfile): StatusListType {
  return profile === 'vc11-sl2021/jwt' ? 'StatusList2021' : 'BitstringStatusList'
}

/** Returns how the status lists that credentials of a profile refer to are secured. */
export function statusListProofFormatOf(profile: CredentialProfile): StatusListProofFormat {
  return profile === 'vc20-bssl/json-ld' ? 'data-integrity' : 'jwt'
}

/**
 * Builds a `credentialStatus` entry pointing at one index of a list.
 * @see https://www.w3.org/TR/2023/WD-vc-status-list-20230427/#statuslist2021entry
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistentry
 */
export function statusEntry(type: StatusListType, purpose: StatusPurpose, listUrl: string, index: number) {
  return {
    id: `${listUrl}#${index}`,
    type: type === 'StatusList2021' ? 'StatusList2021Entry' : 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: listUrl,
  }
}

export interface StatusListCredentialInput {
  type: StatusListType
  purpose: StatusPurpose
  /** URL the list is served at; also the credential id. */
  url: string
  issuerDid: string
  encodedList: string
  issuedAt: Date
  expiresAt: Date
}

/**
 * Builds an unsigned VC 2.0 `BitstringStatusListCredential` for a Data Integrity proof.
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistcredential
 */
export function bitstringStatusListDocument(input: Omit<StatusListCredentialInput, 'type'>): Record<string, unknown> {
  return {
    '@context': [credentialsContextV2],
    id: input.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuerDid,
    validFrom: input.issuedAt.toISOString(),
    validUntil: input.expiresAt.toISOString(),
    credentialSubject: { id: `${input.url}#list`, type: 'BitstringStatusList', statusPurpose: input.purpose, encodedList: input.encodedList },
  }
}

/**
 * Builds the JWT claims of a status list credential: a VC 1.1 JWT with a `vc` claim for
 * StatusList2021, or a VC 2.0 payload (enveloped proof) for Bitstring Status List.
 */
export function statusListCredentialClaims(input: StatusListCredentialInput): JWTPayload {
  const iat = Math.floor(input.issuedAt.getTime() / 1000)
  const exp = Math.floor(input.expiresAt.getTime() / 1000)
  const subject = { id: `${input.url}#list`, type: input.type, statusPurpose: input.purpose, encodedList: input.encodedList }
  if (input.type === 'StatusList2021') {
    const vc = {
      '@context': [credentialsContextV1, statusList2021Context],
      id: input.url,
      type: ['VerifiableCredential', 'StatusList2021Credential'],
      issuer: input.issuerDid,
      issuanceDate: input.issuedAt.toISOString(),
      expirationDate: input.expiresAt.toISOString(),
      credentialSubject: subject,
    }
    return { iss: input.issuerDid, sub: input.url, jti: input.url, iat, nbf: iat, exp, vc }
  }
  return {
    '@context': [credentialsContextV2],
    id: input.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuerDid,
    validFrom: input.issuedAt.toISOString(),
    validUntil: input.expiresAt.toISOString(),
    credentialSubject: subject,
    iss: input.issuerDid,
    iat,
    exp,
  }
}
