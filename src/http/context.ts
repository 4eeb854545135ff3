import type { Config } from '../config/config.js'
import type { HostedDidLookup } from '../did/hosted-did-lookup.js'
import type { DidResolver } from '../did/resolver.js'
import type { CredentialRequestService } from '../holder/credential-request-service.js'
import type { PresentationService } from '../holder/presentation-service.js'
import type { IssuerServices } from '../issuer/issuer-services.js'
import type { KeyManager } from '../keys/key-manager.js'
import type { ParticipantCache } from '../participants/participant-cache.js'
import type { Logger } from '../observability/logger.js'
import type { Metrics } from '../observability/metrics.js'
import type { Database } from '../storage/database.js'
import type { SecureTokenService } from '../sts/sts-service.js'
import type { AccessTokenKeys } from '../tokens/access-token-keys.js'
import type { OwnVerificationKeys } from '../tokens/own-verification-keys.js'
import type { SelfIssuedTokenVerifier } from '../tokens/self-issued-token-verifier.js'
import type { InFlightRequests } from './in-flight-requests.js'

/** A named check that readiness runs; it throws when the dependency is not usable. */
export interface ReadinessCheck {
  name: string
  check(): Promise<void>
}

/** Services of the process that the HTTP layer uses, built once by the server and passed to both apps. */
export interface AppContext {
  config: Config
  db: Database
  logger: Logger
  metrics: Metrics
  /** Bootstrap admin token; every admin request is refused while it is undefined. */
  adminToken: string | undefined
  /** Signing keys of every participant, shared by the admin API, the STS and the DCP endpoints. */
  keyManager: KeyManager
  /** Resolves other parties' DIDs through the guarded fetch, and this process's DIDs in-process. */
  resolver: DidResolver
  siTokenVerifier: SelfIssuedTokenVerifier
  sts: SecureTokenService
  /** Participants by id for the DCP endpoints; admin changes call `forget`. */
  participants: ParticipantCache
  /** DIDs this process hosts, for in-process resolution; participant changes call `forget`. */
  hostedDids: HostedDidLookup
  /** Public keys of this process's participants for checking DIM bearer tokens they signed. */
  ownKeys: OwnVerificationKeys
  /** HMAC keys of the participants' access tokens. */
  accessTokenKeys: AccessTokenKeys
  presentations: PresentationService
  /** Issuance, delivery and status lists of issuing participants. */
  issuer: IssuerServices
  readinessChecks: ReadinessCheck[]
  /** Credential requests that holders send to issuers. */
  credentialRequests: CredentialRequestService
  /** Requests whose handlers still run, which shutdown waits for before closing the database. */
  inFlight: InFlightRequests
}
