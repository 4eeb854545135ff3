import { dcpContextV1 } from '../dcp/context.js'
import type { Participant } from '../participants/participant.js'
import type { CredentialDefinition } from './credential-definition.js'

/**
 * One offered credential in IssuerMetadata.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#credentialobject
 */
export interface CredentialObject {
  id: string
  type: 'CredentialObject'
  credentialType: string
  credentialSchema: string
  bindingMethods: string[]
  profile: string
  offerReason: string
}

/** @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#issuer-metadata-api */
export interface IssuerMetadata {
  '@context': string[]
  type: 'IssuerMetadata'
  issuer: string
  credentialsSupported: CredentialObject[]
}

/** Base URL of a participant's Issuer Service, as its DID document's IssuerService entry names it. */
export function issuerServiceUrl(publicBaseUrl: string, participantId: string): string {
  return `${publicBaseUrl}/p/${participantId}/is`
}

/** Builds the metadata of an issuer: one CredentialObject per credential definition. */
export function buildIssuerMetadata(
  issuer: Participant,
  definitions: readonly CredentialDefinition[],
  publicBaseUrl: string,
): IssuerMetadata {
  const base = issuerServiceUrl(publicBaseUrl, issuer.id)
  return {
    '@context': [dcpContextV1],
    type: 'IssuerMetadata',
    issuer: issuer.did,
    credentialsSupported: definitions.map((definition) => ({
      id: definition.id,
      type: 'CredentialObject',
      credentialType: definition.credentialType,
      credentialSchema: `${base}/schemas/${encodeURIComponent(definition.id)}`,
      bindingMethods: ['did:web'],
      profile: definition.profile,
      offerReason: 'issuance',
    })),
  }
}
