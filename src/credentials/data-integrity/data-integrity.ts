import type { VerificationResult } from '@digitalbazaar/vc'
import { AppError } from '../../errors/app-error.js'
import type { KeyManager } from '../../keys/key-manager.js'
import type { KeyUsage } from '../../keys/key.js'
import { custodianSigner } from './custodian-signer.js'
import type { DocumentLoader } from './document-loader.js'

/**
 * Imports the JSON-LD libraries on first use, so that processes and requests that only handle
 * JWTs never load jsonld.js and its canonicalization code.
 */
async function libraries() {
  const [vc, { DataIntegrityProof }, { cryptosuite }] = await Promise.all([
    import('@digitalbazaar/vc'),
    import('@digitalbazaar/data-integrity'),
    import('@digitalbazaar/ecdsa-rdfc-2019-cryptosuite'),
  ])
  return { vc, DataIntegrityProof, cryptosuite }
}

export interface SignOptions {
  keyManager: KeyManager
  did: string
  usage: KeyUsage
  documentLoader: DocumentLoader
}

/** Adds a `DataIntegrityProof` (ecdsa-rdfc-2019, proof purpose assertionMethod) to a credential. */
export async function signCredential(credential: Record<string, unknown>, options: SignOptions): Promise<Record<string, unknown>> {
  const { vc, DataIntegrityProof, cryptosuite } = await libraries()
  const signer = await custodianSigner(options.keyManager, options.did, options.usage)
  const suite = new DataIntegrityProof({ signer, cryptosuite })
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader: options.documentLoader }).catch(signingFailed)
}

/**
 * Adds a `DataIntegrityProof` (ecdsa-rdfc-2019, proof purpose authentication) with `challenge`
 * and `domain` to a presentation.
 */
export async function signPresentation(
  presentation: Record<string, unknown>,
  options: SignOptions & { challenge: string; domain: string },
): Promise<Record<string, unknown>> {
  const { vc, DataIntegrityProof, cryptosuite } = await libraries()
  const signer = await custodianSigner(options.keyManager, options.did, options.usage)
  const suite = new DataIntegrityProof({ signer, cryptosuite })
  return vc
    .signPresentation({
      presentation: structuredClone(presentation),
      suite,
      documentLoader: options.documentLoader,
      challenge: options.challenge,
      domain: options.domain,
    })
    .catch(signingFailed)
}

/**
 * Verifies the Data Integrity proof of a credential: the signature, a verification method that
 * the issuer's DID document lists under `assertionMethod`, and an issuer equal to the method's
 * controller. `checkStatus` receives credentials that carry `credentialStatus`.
 */
export async function verifyCredentialProof(
  credential: Record<string, unknown>,
  options: {
    documentLoader: DocumentLoader
    now: Date
    maxClockSkewSeconds: number
    checkStatus: (options: { credential: Record<string, unknown> }) => Promise<{ verified: boolean }>
  },
): Promise<VerificationResult> {
  const { vc, DataIntegrityProof, cryptosuite } = await libraries()
  return vc.verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader: options.documentLoader,
    now: options.now,
    maxClockSkew: options.maxClockSkewSeconds,
    checkStatus: options.checkStatus,
  })
}

/** Returns the first reason in a verification result, digging into nested proof errors. */
export function failureReason(result: VerificationResult): string {
  const error = result.error?.errors?.[0] ?? result.error ?? result.results?.find((entry) => entry.error)?.error
  return error?.message ?? 'the proof did not verify'
}

interface JsonLdError {
  message?: string
  cause?: unknown
  details?: { cause?: unknown; event?: { message?: string; details?: { property?: string } } }
}

function signingFailed(error: unknown): never {
  if (error instanceof AppError) throw error
  const jsonLdError = error as JsonLdError
  // jsonld.js wraps loader errors, so an unknown context surfaces as the cause.
  const cause = jsonLdError.details?.cause ?? jsonLdError.cause
  if (cause instanceof AppError) throw cause
  // Safe mode rejects terms that no context defines. The message names the term, so the definition can be fixed.
  const event = jsonLdError.details?.event
  const property = event?.details?.property
  const reason = property === undefined ? (jsonLdError.message ?? String(error)) : `${event?.message ?? 'invalid property'} (${JSON.stringify(property)})`
  throw new AppError('ERR_DATA_INTEGRITY_SIGNING_FAILED', `signing the Data Integrity proof failed: ${reason}`, { cause: error })
}
