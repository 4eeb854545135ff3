import type { JWK } from 'jose'

/** Purpose of a key: signing Self-Issued ID tokens, verifiable presentations or verifiable credentials. */
export const keyUsages = ['sign_token', 'sign_presentation', 'sign_credentials'] as const
export type KeyUsage = (typeof keyUsages)[number]

/** JWS algorithms: ES256 (P-256), the default most DCP verifiers need, and EdDSA (Ed25519). */
export const keyAlgorithms = ['ES256', 'EdDSA'] as const
export type KeyAlgorithm = (typeof keyAlgorithms)[number]

/**
 * Custody mode, the place of the private key: `local` encrypted under the master key, `aws-kms`
 * inside KMS with one KMS call per signature, `kms-envelope` encrypted under a KMS key and
 * decrypted into memory on first use.
 */
export const keyCustodies = ['local', 'aws-kms', 'kms-envelope'] as const
export type KeyCustody = (typeof keyCustodies)[number]

/** `rotated` keys stay in the DID document so their signatures verify; `revoked` keys do not. */
export type KeyState = 'active' | 'rotated' | 'revoked'

/** A signing key of one participant, without its private material. */
export interface ParticipantKey {
  id: string
  participantId: string
  /** DID URL fragment of the verification method, `key-<id>`. */
  fragment: string
  algorithm: KeyAlgorithm
  usages: KeyUsage[]
  custody: KeyCustody
  state: KeyState
  /** Usages for which this key is the participant's default signing key. */
  defaultFor: KeyUsage[]
  publicJwk: JWK
  createdAt: Date
  rotatedAt: Date | null
  revokedAt: Date | null
}
