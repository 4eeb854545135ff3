import { randomUUID } from 'node:crypto'
import type { CredentialRequestConfig } from '../config/credential-request-variables.js'
import { AppError, ConflictError } from '../errors/app-error.js'
import { retryDelayMs } from '../issuer/backoff.js'
import type { Logger } from '../observability/logger.js'
import type { Participant } from '../participants/participant.js'
import {
  claimDueCredentialRequests,
  findCredentialRequestById,
  insertCredentialRequest,
  markCredentialRequestFailed,
  markCredentialRequestSent,
  resetCredentialRequest,
  updateCredentialRequestState,
  type CredentialRequest,
} from '../storage/credential-request-repository.js'
import type { Queryable } from '../storage/database.js'
import { getParticipant } from '../storage/participant-repository.js'
import { IssuerExchangeError, type IssuerClient } from './issuer-client.js'

export interface CredentialRequestServiceOptions {
  db: Queryable
  client: IssuerClient
  config: CredentialRequestConfig
  logger: Logger
}

/** A new request: CredentialObject ids from the issuer metadata, or credential types to find there. */
export interface CredentialRequestInput {
  issuerDid: string
  credentialObjectIds: string[]
  credentialTypes: string[]
}

/** Outcome of one send attempt: the stored request, and the error that made it `error`, if any. */
interface AttemptResult {
  request: CredentialRequest
  failure: IssuerExchangeError | undefined
}

const batchSize = 10

/**
 * Sends a holder's credential requests to issuers and follows them until the credentials arrive.
 * A request is stored before it is sent, so no failure loses it. A retryable failure keeps it
 * `pending` and the background task sends it again with exponential backoff and jitter, until
 * CREDENTIAL_REQUEST_MAX_ATTEMPTS. A request the issuer accepted is `requested`, and when its
 * CredentialMessage has not arrived after CREDENTIAL_REQUEST_POLL_AFTER_SECONDS, its status is
 * polled at the issuer. Each claim uses FOR UPDATE SKIP LOCKED, so one replica works on a request
 * at a time.
 */
export class CredentialRequestService {
  readonly #options: CredentialRequestServiceOptions

  constructor(options: CredentialRequestServiceOptions) {
    this.#options = options
  }

  /**
   * Time a replica reserves a claimed request: the time limit of four issuer calls, more than one
   * attempt makes, and 30 s for DID resolution and signing.
   */
  get #claimMs(): number {
    return this.#options.config.timeoutMs * 4 + 30_000
  }

  /**
   * Records a request and sends it at once. A failure that no retry can fix stores the request as
   * `error` and raises its typed error, while a retryable failure returns the request, `pending`
   * unless CREDENTIAL_REQUEST_MAX_ATTEMPTS is 1.
   */
  async create(participant: Participant, input: CredentialRequestInput): Promise<CredentialRequest> {
    checkHolder(participant)
    const request = await insertCredentialRequest(this.#options.db, {
      participantId: participant.id,
      holderPid: randomUUID(),
      issuerDid: input.issuerDid,
      credentialTypes: input.credentialTypes,
      credentialObjectIds: input.credentialObjectIds,
      state: 'pending',
      claimMs: this.#claimMs,
    })
    return this.#sendOrThrow(participant, request)
  }

  /** Sends an `error` or `rejected` request again under a new holderPid, with a fresh attempt budget. */
  async retry(participantId: string, id: string): Promise<CredentialRequest> {
    const participant = await getParticipant(this.#options.db, participantId)
    checkHolder(participant)
    const existing = await findCredentialRequestById(this.#options.db, participantId, id)
    if (!existing) throw new AppError('ERR_CREDENTIAL_REQUEST_NOT_FOUND', `participant "${participantId}" has no credential request "${id}"`)
    const reset = await resetCredentialRequest(this.#options.db, participantId, id, this.#claimMs)
    if (!reset) {
      throw new AppError('ERR_CREDENTIAL_REQUEST_STATE', `credential request "${id}" is ${existing.state}; only error and rejected requests can be retried`)
    }
    return this.#sendOrThrow(participant, reset)
  }

  /** Sends due pending requests and polls due requested ones, batch by batch; returns how many were handled. */
  async processDue(): Promise<number> {
    let handled = 0
    for (;;) {
      const claimed = await claimDueCredentialRequests(this.#options.db, batchSize, this.#claimMs)
      if (claimed.length === 0) return handled
      await Promise.all(claimed.map((request) => this.#processOne(request)))
      handled += claimed.length
    }
  }

  async #processOne(request: CredentialRequest): Promise<void> {
    try {
      const participant = await getParticipant(this.#options.db, request.participantId)
      if (request.state === 'pending') await this.#send(participant, request)
      else await this.#poll(participant, request)
    } catch (error) {
      // Only storage and signing failures reach this point. The claim expires, and the request is tried again.
      this.#options.logger.error({ err: error, participantId: request.participantId, requestId: request.id }, 'credential request attempt failed unexpectedly')
    }
  }

  async #sendOrThrow(participant: Participant, request: CredentialRequest): Promise<CredentialRequest> {
    const { request: stored, failure } = await this.#send(participant, request)
    // A retryable failure that used up the attempts returns the request in state `error` instead.
    if (failure && !failure.retryable) throw new AppError(failure.code, failure.message)
    return stored
  }

  async #send(participant: Participant, request: CredentialRequest): Promise<AttemptResult> {
    const { db, client, config, logger } = this.#options
    const ids = { participantId: participant.id, requestId: request.id, issuer: request.issuerDid }
    let credentialObjectIds: string[] | undefined
    try {
      const base = await client.issuerServiceOf(request.issuerDid)
      // A request by type looks up its ids in the metadata on every attempt, so a retry uses the current metadata.
      credentialObjectIds = await client.resolveCredentialObjectIds(base, {
        credentialObjectIds: request.credentialTypes.length > 0 ? [] : request.credentialObjectIds,
        credentialTypes: request.credentialTypes,
      })
      // NOTE: when the issuer stored a request but its response was lost, the resend carries the same
      // holderPid, and an issuer that rejects repeated holderPids makes this request `error` while its
      // CredentialMessage may still arrive and mark it issued.
      const issuerPid = await client.sendRequest(base, participant, request.issuerDid, {
        holderPid: request.holderPid,
        credentialObjectIds,
      })
      const pollAt = new Date(Date.now() + config.pollAfterSeconds * 1000)
      const sent = await markCredentialRequestSent(db, request.id, { issuerPid, credentialObjectIds, pollAt })
      logger.info({ ...ids, issuerPid, attempts: request.attempts + 1 }, 'credential request sent')
      return { request: sent, failure: undefined }
    } catch (error) {
      if (!(error instanceof IssuerExchangeError)) throw error
      const failed = await this.#recordFailure(request, error, true, credentialObjectIds)
      return { request: failed, failure: error }
    }
  }

  async #poll(participant: Participant, request: CredentialRequest): Promise<void> {
    const { db, client, config, logger } = this.#options
    const ids = { participantId: participant.id, requestId: request.id, issuer: request.issuerDid, issuerPid: request.issuerPid }
    if (request.issuerPid === null) {
      // The issuer accepted the request without a Location header, so there is no status to poll.
      await this.#recordFailure(request, new IssuerExchangeError('ERR_CREDENTIAL_REQUEST_REFUSED', 'the issuer returned no Location header, so the request status cannot be polled; retry the request', false), true)
      return
    }
    try {
      const base = await client.issuerServiceOf(request.issuerDid)
      const status = await client.requestStatus(base, participant, request.issuerDid, request.issuerPid)
      if (status === 'REJECTED') {
        await updateCredentialRequestState(db, request.id, {
          state: 'rejected',
          rejectionReason: 'the issuer reports the request as REJECTED and sent no reason',
          onlyFrom: ['requested'],
        })
        logger.info(ids, 'credential request rejected: the status poll returned REJECTED')
        return
      }
      if (status === 'RECEIVED') {
        // Awaiting a decision, such as a manual approval, is no failure and uses up no attempt.
        const nextAttemptAt = new Date(Date.now() + retryDelayMs(1, config.pollAfterSeconds, Math.max(config.pollAfterSeconds, config.maxBackoffSeconds)))
        await markCredentialRequestFailed(db, request.id, { error: 'the issuer has not decided on the request yet (status RECEIVED)', nextAttemptAt, countsAsAttempt: false })
        logger.debug(ids, 'credential request still awaits the issuer')
        return
      }
      const undelivered = new IssuerExchangeError('ERR_CREDENTIAL_REQUEST_ISSUER_UNAVAILABLE', 'the issuer reports the credentials as ISSUED, but no CredentialMessage arrived', true)
      await this.#recordFailure(request, undelivered, true)
    } catch (error) {
      if (!(error instanceof IssuerExchangeError)) throw error
      await this.#recordFailure(request, error, true)
    }
  }

  /** Schedules the next attempt of a retryable failure with backoff and jitter, or marks the request `error`. */
  async #recordFailure(request: CredentialRequest, error: IssuerExchangeError, countsAsAttempt: boolean, credentialObjectIds?: string[]): Promise<CredentialRequest> {
    const { db, config, logger } = this.#options
    const attempts = request.attempts + 1
    const giveUp = !error.retryable || attempts >= config.maxAttempts
    const delayMs = retryDelayMs(attempts, config.backoffSeconds, config.maxBackoffSeconds)
    const failed = await markCredentialRequestFailed(db, request.id, {
      error: `${error.code}: ${error.message}`,
      nextAttemptAt: giveUp ? undefined : new Date(Date.now() + delayMs),
      countsAsAttempt,
      ...(credentialObjectIds ? { credentialObjectIds } : {}),
    })
    const consequence = giveUp ? 'marked error' : `retrying in ${Math.round(delayMs / 1000)} s`
    logger.warn({ participantId: request.participantId, requestId: request.id, issuer: request.issuerDid, attempts, code: error.code, reason: error.message }, `credential request failed; ${consequence}`)
    return failed
  }
}

function checkHolder(participant: Participant): void {
  if (participant.state !== 'active') {
    throw new ConflictError('ERR_PARTICIPANT_DEACTIVATED', `participant "${participant.id}" is deactivated`)
  }
  if (!participant.roles.includes('holder')) {
    throw new AppError('ERR_CREDENTIAL_REQUEST_HOLDER_ROLE', `participant "${participant.id}" lacks the holder role; add it before requesting credentials`)
  }
}
