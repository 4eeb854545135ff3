import { randomUUID } from 'node:crypto'
import type { JWTPayload } from 'jose'
import type { CredentialProfile } from '../credentials/credential-format.js'
import type { KeyManager } from '../keys/key-manager.js'
import { signJwt } from '../keys/sign-jwt.js'
import type { StoredCredential } from '../storage/credential-repository.js'

export interface PresentationContext {
  holderDid: string
  /** DID of the verifier; the presentation is addressed to it alone. */
  verifierDid: string
  nowSeconds: number
  ttlSeconds: number
  /**
   * `challenge` of a Data Integrity presentation proof. DCP 1.0.1 defines no nonce, so the
   * service passes the `jti` of the verifier's SI token: unique per query and known to the
   * verifier, which can compare it.
   */
  challenge: string
}

/** A presentation as DCP carries it: a JWT, or a JSON-LD object with an embedded proof. */
export type SignedPresentation = string | Record<string, unknown>

/**
 * Signs one presentation per profile, because a presentation must use the data model and proof
 * format of every credential it holds. VC 1.1 JWT credentials go unchanged into the `vp` claim of
 * a JWT presentation, and VC 2.0 JOSE credentials into an enveloped VC 2.0 presentation. Data
 * Integrity credentials go into a JSON-LD presentation with a Data Integrity proof.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#profiles-of-the-decentralized-claims-protocol
 */
export async function signPresentations(
  keyManager: KeyManager,
  credentials: readonly StoredCredential[],
  context: PresentationContext,
): Promise<SignedPresentation[]> {
  const groups = new Map<CredentialProfile, string[]>()
  for (const credential of credentials) {
    groups.set(credential.profile, [...(groups.get(credential.profile) ?? []), credential.raw])
  }
  const presentations: SignedPresentation[] = []
  for (const [profile, raws] of groups) {
    if (profile === 'vc20-bssl/json-ld') {
      // Imported on first use, so queries for JWT credentials never load the JSON-LD libraries.
      // NOTE: a holder whose sign_presentation key is EdDSA fails the whole query with
      // ERR_DATA_INTEGRITY_KEY_UNSUPPORTED, because ecdsa-rdfc-2019 needs a P-256 key.
      const { signDataIntegrityPresentation } = await import('./data-integrity-presentation.js')
      presentations.push(await signDataIntegrityPresentation(keyManager, raws, context))
      continue
    }
    const payload = profile === 'vc11-sl2021/jwt' ? vc11Payload(raws, context) : vc20Payload(raws, context)
    const typ = profile === 'vc11-sl2021/jwt' ? 'JWT' : 'vp+jwt'
    presentations.push(await signJwt(keyManager, context.holderDid, 'sign_presentation', { typ }, payload))
  }
  return presentations
}

function registeredClaims(context: PresentationContext): JWTPayload {
  return {
    iss: context.holderDid,
    sub: context.holderDid,
    aud: context.verifierDid,
    jti: randomUUID(),
    iat: context.nowSeconds,
    nbf: context.nowSeconds,
    exp: context.nowSeconds + context.ttlSeconds,
  }
}

/** @see https://www.w3.org/TR/vc-data-model/#jwt-encoding */
function vc11Payload(raws: string[], context: PresentationContext): JWTPayload {
  return {
    ...registeredClaims(context),
    vp: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiablePresentation'],
      holder: context.holderDid,
      verifiableCredential: raws,
    },
  }
}

/** @see https://www.w3.org/TR/vc-jose-cose/#securing-vps-with-jose */
function vc20Payload(raws: string[], context: PresentationContext): JWTPayload {
  return {
    ...registeredClaims(context),
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiablePresentation'],
    holder: context.holderDid,
    verifiableCredential: raws.map((raw) => ({
      '@context': 'https://www.w3.org/ns/credentials/v2',
      id: `data:application/vc+jwt,${raw}`,
      type: 'EnvelopedVerifiableCredential',
    })),
  }
}
