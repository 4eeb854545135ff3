import type { DIDDocument, VerificationMethod } from 'did-resolver'
import type { JwsPublicKey } from '../keys/jws-public-key.js'
import type { DidResolver } from './resolver.js'
import {
  importVerificationKey,
  selectVerificationMethod,
  type KeyRelationshipPolicy,
  type VerificationPurpose,
} from './verification-method.js'

/** Parameters of a key lookup, taken from the signer and the header of the signed JWT. */
export interface VerificationKeyRequest {
  /** DID of the signer, such as the `iss` of a token. An absolute `kid` must belong to it. */
  did: string
  /** `kid` of the JWS header, absolute (`did#key-1`) or a fragment (`#key-1`); may be absent. */
  kid: string | undefined
  /** `alg` of the JWS header. */
  alg: string
  purpose: VerificationPurpose
}

/** The key that verifies a signature, with the document and method it came from. */
export interface VerificationKey {
  document: DIDDocument
  method: VerificationMethod
  key: JwsPublicKey
}

/** Resolver interface of key lookups. Without `keyRelationships`, the policy is strict. */
export type KeyResolver = Pick<DidResolver, 'resolveDocument'> & { readonly keyRelationships?: KeyRelationshipPolicy }

/**
 * Resolves the signer's DID, selects the method by the DCP `kid` rules and the purpose's
 * relationship under the resolver's relationship policy, and imports its public key. Throws a
 * `DidError` at the first failing step.
 */
export async function resolveVerificationKey(resolver: KeyResolver, request: VerificationKeyRequest): Promise<VerificationKey> {
  const document = await resolver.resolveDocument(request.did)
  const method = selectVerificationMethod(document, request.kid, request.purpose, resolver.keyRelationships)
  const key = importVerificationKey(method, request.alg)
  return { document, method, key }
}
