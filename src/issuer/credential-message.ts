import type { ContainerFormatSetting } from '../config/issuer-variables.js'
import { dcpContextV1 } from '../dcp/context.js'
import type { IssuedCredential } from '../storage/issued-credential-repository.js'
import { credentialStatusOf, type CredentialRequest } from './credential-request.js'

/**
 * A CredentialMessage as sent to the holder's Storage API.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#storage-api
 */
export interface CredentialMessage {
  '@context': string[]
  type: 'CredentialMessage'
  issuerPid: string
  holderPid: string
  status: 'ISSUED' | 'REJECTED'
  credentials: Array<{ credentialType: string; format: string; payload: string }>
  rejectionReason?: string
}

/** Builds the message of a decided request; a rejected request carries no credentials. */
export function buildCredentialMessage(
  request: CredentialRequest,
  credentials: readonly IssuedCredential[],
  format: ContainerFormatSetting,
): CredentialMessage {
  const status = credentialStatusOf(request.state)
  if (status === 'RECEIVED') throw new TypeError(`credential request ${request.issuerPid} is not decided yet`)
  const message: CredentialMessage = {
    '@context': [dcpContextV1],
    type: 'CredentialMessage',
    issuerPid: request.issuerPid,
    holderPid: request.holderPid,
    status,
    credentials: credentials.map((credential) => ({
      credentialType: credential.credentialType,
      format: containerFormatOf(credential, format),
      payload: credential.raw,
    })),
  }
  if (request.rejectionReason !== null) message.rejectionReason = request.rejectionReason
  return message
}

/**
 * Returns the container format of a credential. Data Integrity credentials always travel as
 * `json-ld`, the DCP format name for JSON-LD objects, because the JWT settings name formats
 * that such a payload is not.
 */
function containerFormatOf(credential: IssuedCredential, format: ContainerFormatSetting): string {
  if (credential.profile === 'vc20-bssl/json-ld') return 'json-ld'
  return format === 'profile' ? credential.profile : format
}
