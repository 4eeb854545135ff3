/** States of a credential request as stored; `received` waits for approval or issuance. */
export type RequestState = 'received' | 'issued' | 'rejected'

/**
 * A CredentialRequestMessage the issuer accepted, identified by `issuerPid`.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#credential-request-api
 */
export interface CredentialRequest {
  participantId: string
  issuerPid: string
  holderDid: string
  holderPid: string
  definitionIds: string[]
  state: RequestState
  /** Whether every requested definition approves automatically. */
  autoApprove: boolean
  rejectionReason: string | null
  createdAt: Date
  updatedAt: Date
}

/** `status` of a CredentialStatus message for a stored state. */
export function credentialStatusOf(state: RequestState): 'RECEIVED' | 'ISSUED' | 'REJECTED' {
  if (state === 'issued') return 'ISSUED'
  if (state === 'rejected') return 'REJECTED'
  return 'RECEIVED'
}
