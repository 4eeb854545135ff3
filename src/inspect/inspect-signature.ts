import type { DIDDocument, VerificationMethod } from 'did-resolver'
import {
  checkRelationship,
  findVerificationMethod,
  importVerificationKey,
  type VerificationPurpose,
} from '../did/verification-method.js'
import { verifySignature } from '../tokens/self-issued-token-verifier.js'
import type { InspectContext } from './inspect-context.js'
import type { CheckList } from './inspection.js'

/** A signed JWT and the DID whose key must have signed it. */
export interface SignedJwt {
  raw: string
  header: { alg: string; kid?: string | undefined }
  signerDid: string
  purpose: VerificationPurpose
  /** Names the JWT in messages, such as "the presentation". */
  tokenName: string
}

/**
 * Checks a JWT signature step by step, with the functions the service's verifiers compose. The
 * signer's DID must resolve and `kid` must name a method of its document. The method must be in
 * the relationship of the purpose, its key must import for `alg`, and the signature must verify.
 * Returns the DID document when it resolved.
 */
export async function inspectSignature(list: CheckList, context: InspectContext, jwt: SignedJwt): Promise<DIDDocument | undefined> {
  const document = await list.run(
    'DID resolves',
    () => context.resolver.resolveDocument(jwt.signerDid),
    () => jwt.signerDid,
  )
  if (document === undefined) return undefined

  const method = await list.run(
    'kid in DID document',
    () => findVerificationMethod(document, jwt.header.kid),
    (found: VerificationMethod) => found.id,
  )
  if (method === undefined) return document

  await list.run(`key in ${jwt.purpose}`, () => checkRelationship(document, method, jwt.purpose))
  const key = await list.run('key usable', () => importVerificationKey(method, jwt.header.alg), () => jwt.header.alg)
  if (key === undefined) return document
  await list.run('signature', () => verifySignature(jwt.raw, key, jwt.tokenName), () => 'verifies')
  return document
}
