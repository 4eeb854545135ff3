import type { DidResolver } from '../did/resolver.js'
import type { StatusListClient } from '../holder/status/status-list-client.js'
import type { Participant } from '../participants/participant.js'
import type { Queryable } from '../storage/database.js'
import type { TrustedIssuer } from '../storage/trusted-issuer-repository.js'
import type { AccessTokenKeys } from '../tokens/access-token-keys.js'

/** The participant of this service that `inspect` checks on behalf of, with its database. */
export interface InspectedParticipant {
  participant: Participant
  db: Queryable
  accessTokenKeys: AccessTokenKeys
  trustedIssuers: TrustedIssuer[]
}

/** Collaborators and options of one `inspect` run. */
export interface InspectContext {
  resolver: Pick<DidResolver, 'resolveDocument'>
  statusLists: Pick<StatusListClient, 'getList'>
  nowMs: number
  leewaySeconds: number
  /** DID the token or presentation must be addressed to (`--audience`). */
  audience?: string
  /** DID a credential must be issued to (`--holder`); a presentation's `iss` for its credentials. */
  holder?: string
  /** Issuer DIDs trusted for every credential type (`--trusted-issuer`). */
  trustedIssuerDids: readonly string[]
  /** Set with `--participant` and DATABASE_URL: access tokens, replay and trusted issuers come from the database. */
  local?: InspectedParticipant
}
