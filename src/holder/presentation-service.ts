import { randomUUID } from 'node:crypto'
import { contextFor, type DcpVersion } from '../dcp/context.js'
import { interpretPresentationQuery, type PresentationQueryMessageBody } from '../dcp/presentation-query.js'
import type { Scope } from '../dcp/scope.js'
import type { KeyManager } from '../keys/key-manager.js'
import type { Participant } from '../participants/participant.js'
import { isValidAt } from '../storage/credential-repository.js'
import { verifyAccessToken } from '../tokens/access-token.js'
import type { AccessTokenKeys } from '../tokens/access-token-keys.js'
import type { VerifiedSelfIssuedToken } from '../tokens/self-issued-token-verifier.js'
import { grantedScopes, selectCredentials } from './credential-selection.js'
import type { HolderSnapshots } from './holder-snapshots.js'
import { typeAllowedByRules } from './verifier-access-policy.js'
import { signPresentations, type SignedPresentation } from './presentation-signer.js'

/** @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#presentation-response-message */
export interface PresentationResponseMessage {
  '@context': string[]
  type: 'PresentationResponseMessage'
  presentation: SignedPresentation[]
}

export interface PresentationServiceOptions {
  snapshots: HolderSnapshots
  keyManager: KeyManager
  accessTokenKeys: AccessTokenKeys
  leewaySeconds: number
  presentationTtlSeconds: number
  now?: () => number
}

/** Result of a presentation query, with the counts that logs and metrics report. */
export interface PresentationOutcome {
  response: PresentationResponseMessage
  /** DCP version of the query, which the response follows. */
  dcpVersion: DcpVersion
  requestedScopes: number
  servedScopes: number
  credentials: number
}

/**
 * Builds the response to a verifier's presentation query for a holder. It checks the access token
 * that the query's SI token carries, keeps the requested scopes that the token grants, and selects
 * the newest valid credential per scope. Then it signs the presentations for the verifier, in the
 * DCP version of the query.
 */
export class PresentationService {
  readonly #options: PresentationServiceOptions

  constructor(options: PresentationServiceOptions) {
    this.#options = options
  }

  async answer(
    holder: Participant,
    caller: VerifiedSelfIssuedToken,
    body: PresentationQueryMessageBody,
  ): Promise<PresentationOutcome> {
    const { keyManager, accessTokenKeys, leewaySeconds, presentationTtlSeconds } = this.#options
    const nowMs = (this.#options.now ?? Date.now)()
    const nowSeconds = Math.floor(nowMs / 1000)

    const grant = await verifyAccessToken(accessTokenKeys, caller.accessToken, {
      participantId: holder.id,
      holderDid: holder.did,
      presenterDid: caller.issuer,
      nowSeconds,
      leewaySeconds,
    })
    const query = interpretPresentationQuery(body)
    const scopes = grantedScopes(query.scopes, grant.scopes)

    const credentials = scopes.length === 0 ? [] : await this.#select(holder, caller.issuer, scopes, new Date(nowMs))
    const presentation = await signPresentations(keyManager, credentials, {
      holderDid: holder.did,
      verifierDid: caller.issuer,
      nowSeconds,
      ttlSeconds: presentationTtlSeconds,
      challenge: challengeOf(caller),
    })
    return {
      response: { '@context': [contextFor(query.version)], type: 'PresentationResponseMessage', presentation },
      dcpVersion: query.version,
      requestedScopes: query.scopes.length + query.unknownScopes.length,
      servedScopes: scopes.length,
      credentials: credentials.length,
    }
  }

  /**
   * Selects the newest credential per scope among those the holder's access policy lets this
   * verifier see, so a denied type is left out as if the holder did not have it.
   */
  async #select(holder: Participant, verifierDid: string, scopes: Scope[], now: Date) {
    const snapshot = await this.#options.snapshots.get(holder.id)
    const rules = snapshot.rules.filter((rule) => rule.verifierDid === verifierDid)
    const visible = snapshot.credentials.filter(
      (credential) => isValidAt(credential, now) && credential.types.every((type) => typeAllowedByRules(rules, type)),
    )
    return selectCredentials(scopes, visible)
  }
}

/**
 * Returns the `challenge` for Data Integrity presentations: the `jti` of the verifier's SI
 * token, which the verifier chose and the jti store keeps from being used twice.
 */
function challengeOf(caller: VerifiedSelfIssuedToken): string {
  return typeof caller.payload.jti === 'string' ? caller.payload.jti : randomUUID()
}
