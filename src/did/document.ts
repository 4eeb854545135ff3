import type { JWK } from 'jose'
import type { ParticipantKey } from '../keys/key.js'
import type { Participant } from '../participants/participant.js'

/** JSON-LD contexts of every document: DID Core v1 and DCP v1.0, which defines the service types. */
export const didDocumentContext = ['https://www.w3.org/ns/did/v1', 'https://w3id.org/dspace-dcp/v1.0/dcp.jsonld']

/** @see https://www.w3.org/TR/did-core/#verification-methods */
export interface VerificationMethod {
  id: string
  type: 'JsonWebKey2020'
  controller: string
  publicKeyJwk: JWK
}

/** @see https://www.w3.org/TR/did-core/#services */
export interface ServiceEntry {
  id: string
  type: string
  serviceEndpoint: string
}

/** @see https://www.w3.org/TR/did-core/#core-properties */
export interface DidDocument {
  '@context': string[]
  id: string
  verificationMethod: VerificationMethod[]
  authentication: string[]
  assertionMethod: string[]
  capabilityInvocation: string[]
  service: ServiceEntry[]
}

/** A service entry added through the admin API; `id` is the fragment after `#`. */
export interface DidService {
  id: string
  type: string
  serviceEndpoint: string
}

/** Fragments of the service entries that a participant's roles add. */
export const builtInServiceIds = ['credential-service', 'issuer-service'] as const

export interface DocumentInput {
  participant: Participant
  keys: readonly ParticipantKey[]
  services: readonly DidService[]
  /** PUBLIC_BASE_URL without a trailing slash. */
  publicBaseUrl: string
}

/**
 * Builds a participant's DID document. It holds only the members DCP peers read, because
 * strict parsers (the DCP TCK among them) reject unknown ones: every non-revoked key as a
 * JsonWebKey2020 method referenced from all three relationships, and the service entries.
 */
export function buildDidDocument(input: DocumentInput): DidDocument {
  const did = input.participant.did
  const methods = input.keys.filter((key) => key.state !== 'revoked').map((key) => verificationMethod(did, key))
  const methodIds = methods.map((method) => method.id)
  return {
    '@context': [...didDocumentContext],
    id: did,
    verificationMethod: methods,
    authentication: methodIds,
    assertionMethod: [...methodIds],
    capabilityInvocation: [...methodIds],
    service: [...roleServices(input), ...input.services.map((service) => serviceEntry(did, service))],
  }
}

function verificationMethod(did: string, key: ParticipantKey): VerificationMethod {
  return { id: `${did}#${key.fragment}`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: key.publicJwk }
}

/** Copies only the three members, since stored services carry more fields. */
function serviceEntry(did: string, service: DidService): ServiceEntry {
  return { id: `${did}#${service.id}`, type: service.type, serviceEndpoint: service.serviceEndpoint }
}

/** CredentialService for holders and IssuerService for issuers; DCP routes hang below these URLs. */
function roleServices({ participant, publicBaseUrl }: DocumentInput): ServiceEntry[] {
  const base = `${publicBaseUrl}/p/${participant.id}`
  const services: ServiceEntry[] = []
  if (participant.roles.includes('holder')) {
    services.push({ id: `${participant.did}#credential-service`, type: 'CredentialService', serviceEndpoint: `${base}/cs` })
  }
  if (participant.roles.includes('issuer')) {
    services.push({ id: `${participant.did}#issuer-service`, type: 'IssuerService', serviceEndpoint: `${base}/is` })
  }
  return services
}
