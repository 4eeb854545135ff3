import type { JWK } from 'jose'
import type { KeyMaterial } from '../storage/key-repository.js'
import type { KeyAlgorithm, KeyUsage } from './key.js'
import type { Signer } from './key-pair.js'

/** Identity of a key as custodians use it: owner, ids, algorithm and usages. */
export interface KeyIdentity {
  participantId: string
  keyId: string
  fragment: string
  algorithm: KeyAlgorithm
  usages: readonly KeyUsage[]
}

export interface GeneratedKey {
  publicJwk: JWK
  material: KeyMaterial
  /** A signer ready for use, when the private key is already in memory. */
  signer?: Signer
}

/** One custody mode: where private keys are made, kept and used. */
export interface Custodian {
  generate(identity: KeyIdentity): Promise<GeneratedKey>
  /** Makes the stored key usable for signing; may decrypt it or call KMS. */
  loadSigner(identity: KeyIdentity, material: KeyMaterial): Promise<Signer>
  /** Runs when a key is revoked; aws-kms schedules the deletion of the KMS key. */
  retire(identity: KeyIdentity, material: KeyMaterial): Promise<void>
  /** Runs when a generated key could not be stored, to release what `generate` created. */
  discard(identity: KeyIdentity, material: KeyMaterial): Promise<void>
}

/** Associated data (AES-GCM) or encryption context (KMS) that binds a private key to its row. */
export function keyBinding(identity: KeyIdentity): Record<string, string> {
  return { 'dcp-identity:participant': identity.participantId, 'dcp-identity:key': identity.keyId }
}
