import { importJWK, type JWK, type KeyObject } from 'jose'
import { HandshakeRejected } from './handshake-rejected.js'

interface VerificationMethod {
  id: string
  type: string
  controller?: string
  publicKeyJwk?: JWK
}

/** The parts of a DID document that a connector reads. */
export interface ResolvedDidDocument {
  id: string
  verificationMethod?: VerificationMethod[]
  authentication?: (string | VerificationMethod)[]
  assertionMethod?: (string | VerificationMethod)[]
  capabilityInvocation?: (string | VerificationMethod)[]
  service?: { id: string; type: string; serviceEndpoint: unknown }[]
}

export type Relationship = 'authentication' | 'assertionMethod' | 'capabilityInvocation'

/**
 * Resolves did:web DIDs the way a connector's resolver does, by fetching `did.json`, but only on
 * the demo's own origin: the demo sends nothing anywhere else. Written apart from the service's
 * resolver so that the demo checks the service from the outside.
 */
export class DemoDidClient {
  constructor(
    readonly origin: string,
    private readonly didHost: string,
  ) {}

  async resolve(did: string): Promise<ResolvedDidDocument> {
    const prefix = `did:web:${this.didHost}:`
    if (!did.startsWith(prefix)) throw new HandshakeRejected(`${did} is not a DID of this demo (${prefix}...)`)
    const url = `${this.origin}/${did.slice(prefix.length).split(':').map(decodeURIComponent).join('/')}/did.json`
    const response = await fetch(url)
    if (!response.ok) throw new HandshakeRejected(`DID ${did} does not resolve: GET ${url} returned ${response.status}`)
    const document = (await response.json()) as ResolvedDidDocument
    if (document.id !== did) throw new HandshakeRejected(`DID document at ${url} names ${document.id}, not ${did}`)
    return document
  }

  /** Endpoint of the first service of a type, such as CredentialService. */
  async serviceEndpoint(did: string, type: string): Promise<string> {
    const document = await this.resolve(did)
    const service = document.service?.find((entry) => entry.type === type)
    if (typeof service?.serviceEndpoint !== 'string') throw new HandshakeRejected(`DID document of ${did} lists no ${type}`)
    return service.serviceEndpoint
  }

  /**
   * Public key of `kid`, an absolute DID URL, when the key is listed under `relationship`.
   * Method ids may be absolute or relative (`#key-1`), so both forms match.
   */
  async publicKey(kid: string | undefined, relationship: Relationship): Promise<{ did: string; key: KeyObject | Uint8Array; alg: string }> {
    if (!kid?.includes('#')) throw new HandshakeRejected(`"kid" ${kid ?? '(none)'} is not an absolute DID URL`)
    const did = kid.slice(0, kid.indexOf('#'))
    const document = await this.resolve(did)
    const fragment = kid.slice(kid.indexOf('#'))
    const matches = (id: string) => id === kid || id === fragment
    const listed = (document[relationship] ?? []).some((entry) => matches(typeof entry === 'string' ? entry : entry.id))
    if (!listed) throw new HandshakeRejected(`key ${kid} is not in the ${relationship} list of ${did}`)
    const method =
      document.verificationMethod?.find((entry) => matches(entry.id)) ??
      (document[relationship] ?? []).find((entry): entry is VerificationMethod => typeof entry !== 'string' && matches(entry.id))
    if (!method?.publicKeyJwk) throw new HandshakeRejected(`key ${kid} has no publicKeyJwk in the DID document of ${did}`)
    const alg = method.publicKeyJwk.crv === 'Ed25519' ? 'EdDSA' : 'ES256'
    return { did, key: await importJWK(method.publicKeyJwk, alg), alg }
  }
}
