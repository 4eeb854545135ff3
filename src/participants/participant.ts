export const participantRoles = ['holder', 'issuer'] as const
export type ParticipantRole = (typeof participantRoles)[number]
export type ParticipantState = 'active' | 'deactivated'

/** A tenant of this service: one DID with its keys, credentials, STS client and issuer data. */
export interface Participant {
  /** Opaque URL-safe slug used in admin paths; a DID never appears as a path segment. */
  id: string
  did: string
  displayName: string
  roles: ParticipantRole[]
  state: ParticipantState
  createdAt: Date
  updatedAt: Date
}

export const participantIdPattern = '^[a-z0-9][a-z0-9-]{0,62}$'

/**
 * did:web with a host (a port encoded as `%3A`) and optional path segments.
 * @see https://w3c-ccg.github.io/did-method-web/#method-specific-identifier
 */
export const didWebPattern = '^did:web:[A-Za-z0-9.-]+(%3A[0-9]{1,5})?(:[A-Za-z0-9._~-]+)*$'
