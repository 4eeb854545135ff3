import { randomUUID } from 'node:crypto'
import type { IssuerConfig } from '../config/issuer-variables.js'
import type { DidResolver } from '../did/resolver.js'
import type { KeyManager } from '../keys/key-manager.js'
import { signJwt } from '../keys/sign-jwt.js'
import type { Logger } from '../observability/logger.js'
import type { Database } from '../storage/database.js'
import { claimDueDeliveries, markDelivered, markFailed, type Delivery } from '../storage/delivery-repository.js'
import { listCredentialsOfRequest } from '../storage/issued-credential-repository.js'
import { findCredentialRequest } from '../storage/issuer-request-repository.js'
import { getParticipant } from '../storage/participant-repository.js'
import { retryDelayMs } from './backoff.js'
import { buildCredentialMessage } from './credential-message.js'
import { guardedPostJson, OutboundRequestError, type GuardedPostOptions } from './guarded-post.js'

export interface DeliveryDispatcherOptions {
  db: Database
  keyManager: KeyManager
  resolver: Pick<DidResolver, 'resolveDocument'>
  config: IssuerConfig
  /** Lifetime of the Self-Issued ID token sent with each message. */
  tokenTtlSeconds: number
  /** Time limit of a DID resolution, so the lease covers it. */
  resolveTimeoutMs: number
  post: Omit<GuardedPostOptions, 'timeoutMs'>
  logger: Logger
}

const batchSize = 10

/**
 * Delivers queued CredentialMessages to holders' Credential Services. Each replica claims due
 * rows with FOR UPDATE SKIP LOCKED, so a message goes out from one replica only. A failed
 * attempt is retried with exponential backoff and jitter until ISSUER_DELIVERY_MAX_ATTEMPTS,
 * after which the delivery is dead until an admin retries it.
 */
export class DeliveryDispatcher {
  readonly #options: DeliveryDispatcherOptions
  #running: Promise<void> | undefined
  #again = false
  #stopped = false

  constructor(options: DeliveryDispatcherOptions) {
    this.#options = options
  }

  /** Starts a drain now, or one more after the running one, so new work does not wait for the next interval. */
  kick(): void {
    if (this.#stopped) return
    if (this.#running) {
      this.#again = true
      return
    }
    this.#running = this.drain()
      .then(() => undefined)
      .catch((error: unknown) => this.#options.logger.error({ err: error }, 'credential delivery run failed; retrying at the next interval'))
      .finally(() => {
        this.#running = undefined
        if (this.#again) {
          this.#again = false
          this.kick()
        }
      })
  }

  /** Waits for a drain started by `kick`, for tests and the periodic task. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running
  }

  /** Ignores later kicks and waits for the running drain, so shutdown can close the database. */
  async stop(): Promise<void> {
    this.#stopped = true
    await this.idle()
  }

  /** Delivers every due message, batch by batch; returns how many were attempted. */
  async drain(): Promise<number> {
    const { delivery } = this.#options.config
    // The lease outlasts the slowest attempt: DID resolution, signing and the POST, each bounded.
    const leaseMs = delivery.timeoutMs + this.#options.resolveTimeoutMs + 30_000
    let attempted = 0
    for (;;) {
      const claimed = await claimDueDeliveries(this.#options.db, batchSize, leaseMs)
      if (claimed.length === 0) return attempted
      await Promise.all(claimed.map((row) => this.#attempt(row)))
      attempted += claimed.length
    }
  }

  async #attempt(delivery: Delivery): Promise<void> {
    const { db, logger, config } = this.#options
    const ids = { participantId: delivery.participantId, issuerPid: delivery.issuerPid, deliveryId: delivery.id }
    try {
      await this.#send(delivery)
      await markDelivered(db, delivery.id)
      logger.info({ ...ids, attempts: delivery.attempts }, 'credential message delivered')
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      const dead = delivery.attempts >= config.delivery.maxAttempts
      const delayMs = retryDelayMs(delivery.attempts, config.delivery.backoffSeconds, config.delivery.maxBackoffSeconds)
      await markFailed(db, delivery.id, reason, dead ? undefined : new Date(Date.now() + delayMs))
      const consequence = dead ? 'giving up: delivery is dead' : `retrying in ${Math.round(delayMs / 1000)} s`
      logger.warn({ ...ids, attempts: delivery.attempts, reason }, `credential delivery failed; ${consequence}`)
    }
  }

  async #send(delivery: Delivery): Promise<void> {
    const { db, keyManager, config } = this.#options
    const request = await findCredentialRequest(db, delivery.participantId, delivery.issuerPid)
    if (!request) throw new OutboundRequestError(`credential request ${delivery.issuerPid} no longer exists`)
    const issuer = await getParticipant(db, delivery.participantId)
    const credentials = await listCredentialsOfRequest(db, request.issuerPid)
    const message = buildCredentialMessage(request, credentials, config.containerFormat)
    const endpoint = await this.#credentialServiceOf(request.holderDid)
    const token = await signJwt(keyManager, issuer.did, 'sign_token', { typ: 'JWT' }, this.#tokenClaims(issuer.did, request.holderDid))
    await guardedPostJson(new URL(`${endpoint.replace(/\/+$/, '')}/credentials`), message, { authorization: `Bearer ${token}` }, {
      ...this.#options.post,
      timeoutMs: config.delivery.timeoutMs,
    })
  }

  async #credentialServiceOf(holderDid: string): Promise<string> {
    const document = await this.#options.resolver.resolveDocument(holderDid)
    const service = (document.service ?? []).find((entry) => entry.type === 'CredentialService')
    const endpoint = service?.serviceEndpoint
    if (typeof endpoint !== 'string') {
      throw new OutboundRequestError(`DID document of ${holderDid} has no CredentialService entry with a URL`)
    }
    return endpoint
  }

  /** Claims of the issuer's Self-Issued ID token; `iat` is a second back because receivers allow no leeway. */
  #tokenClaims(issuerDid: string, holderDid: string) {
    const iat = Math.floor(Date.now() / 1000) - 1
    return { iss: issuerDid, sub: issuerDid, aud: holderDid, jti: randomUUID(), iat, exp: iat + this.#options.tokenTtlSeconds }
  }
}
