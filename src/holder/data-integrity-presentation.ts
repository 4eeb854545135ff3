import { randomUUID } from 'node:crypto'
import { credentialsContextV2 } from '../credentials/status-list-credential.js'
import { signPresentation } from '../credentials/data-integrity/data-integrity.js'
import { createDocumentLoader } from '../credentials/data-integrity/document-loader.js'
import type { KeyManager } from '../keys/key-manager.js'

export interface DataIntegrityPresentationContext {
  holderDid: string
  /** DID of the verifier, written as the proof's `domain`. */
  verifierDid: string
  /** Value of the proof's `challenge`, chosen as `PresentationContext.challenge` describes. */
  challenge: string
}

/**
 * Signs a VC 2.0 JSON-LD presentation of Data Integrity credentials with the holder's
 * `sign_presentation` key: a `DataIntegrityProof` (ecdsa-rdfc-2019, proof purpose
 * authentication) whose `domain` is the verifier's DID and whose `challenge` binds it to the
 * query. The credentials go in unchanged, each parsed from the JSON text it was stored as.
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verifiable-presentations
 */
export async function signDataIntegrityPresentation(
  keyManager: KeyManager,
  raws: readonly string[],
  context: DataIntegrityPresentationContext,
): Promise<Record<string, unknown>> {
  const presentation = {
    '@context': [credentialsContextV2],
    id: `urn:uuid:${randomUUID()}`,
    type: ['VerifiablePresentation'],
    holder: context.holderDid,
    verifiableCredential: raws.map((raw) => JSON.parse(raw) as unknown),
  }
  return signPresentation(presentation, {
    keyManager,
    did: context.holderDid,
    usage: 'sign_presentation',
    documentLoader: createDocumentLoader(),
    challenge: context.challenge,
    domain: context.verifierDid,
  })
}
