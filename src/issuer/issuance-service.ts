import { randomUUID } from 'node:crypto'
import type { IssuerConfig } from '../config/issuer-variables.js'
import type { StatusPurpose } from '../credentials/status-list.js'
import { statusEntry, statusListTypeOf } from '../credentials/status-list-credential.js'
import type { CredentialRequestMessage } from '../dcp/credential-request-message.js'
import { AppError, ConflictError } from '../errors/app-error.js'
import type { KeyManager } from '../keys/key-manager.js'
import { signJwt } from '../keys/sign-jwt.js'
import type { Logger } from '../observability/logger.js'
import type { Participant } from '../participants/participant.js'
import type { Database, Queryable } from '../storage/database.js'
import { enqueueDelivery } from '../storage/delivery-repository.js'
import { insertIssuedCredential, type IssuedCredential } from '../storage/issued-credential-repository.js'
import { listCredentialDefinitions } from '../storage/issuer-definition-repository.js'
import { findIssuerHolderByDid } from '../storage/issuer-holder-repository.js'
import {
  finishCredentialRequest,
  holderPidUsed,
  insertCredentialRequest,
} from '../storage/issuer-request-repository.js'
import { allocateStatusEntry, type StatusEntryPosition } from '../storage/status-list-repository.js'
import { attestSubject, AttestationError } from './attestation.js'
import { credentialClaims } from './credential-claims.js'
import type { CredentialDefinition } from './credential-definition.js'
import type { CredentialRequest } from './credential-request.js'
import { statusListUrl } from './status-list-service.js'

export interface IssuanceServiceOptions {
  db: Database
  keyManager: KeyManager
  config: IssuerConfig
  publicBaseUrl: string
  logger: Logger
  /** Called after a transaction that queued a delivery committed, to deliver without waiting. */
  onDeliveryQueued: () => void
  now?: () => number
}

/** Seconds by which issuanceDate precedes the signing time, because verifiers allow no leeway. */
const backdateSeconds = 5

/**
 * Receives credential requests, decides them and issues credentials. Issuing signs each
 * credential, allocates its status entries and queues the delivery in one transaction, so a
 * request is either issued and queued for delivery or left as it was.
 */
export class IssuanceService {
  readonly #options: IssuanceServiceOptions

  constructor(options: IssuanceServiceOptions) {
    this.#options = options
  }

  /**
   * Stores a CredentialRequestMessage of an authenticated holder. When every requested
   * definition approves automatically, the credentials are issued in the same transaction.
   */
  async receive(issuer: Participant, holderDid: string, message: CredentialRequestMessage): Promise<CredentialRequest> {
    const { db, config } = this.#options
    const definitions = await this.#definitionsFor(issuer.id, message.credentialIds)
    const holder = await findIssuerHolderByDid(db, issuer.id, holderDid)
    if (!holder && !config.allowUnknownHolders) {
      throw new AppError('ERR_ISSUER_HOLDER_UNKNOWN', `holder ${JSON.stringify(holderDid)} is not registered with this issuer`)
    }
    const request = await db.transaction(async (tx) => {
      if (!config.allowRepeatedHolderPid) await this.#checkHolderPidUnused(tx, issuer.id, holderDid, message.holderPid)
      const stored = await insertCredentialRequest(tx, {
        participantId: issuer.id,
        issuerPid: randomUUID(),
        holderDid,
        holderPid: message.holderPid,
        definitionIds: definitions.map((definition) => definition.id),
      })
      if (definitions.some((definition) => definition.approval === 'manual')) return stored
      return this.decide(tx, issuer, stored, holder?.attributes ?? {})
    })
    if (request.state !== 'received') this.#options.onDeliveryQueued()
    this.#options.logger.info(
      { participantId: issuer.id, issuerPid: request.issuerPid, holder: holderDid, state: request.state },
      'credential request received',
    )
    return request
  }

  /**
   * Issues the credentials of a received request, or rejects it with the reason when the holder
   * lacks an attribute a claim needs. Either way a CredentialMessage is queued. Run it in a
   * transaction, and call `onDeliveryQueued` after it commits.
   */
  async decide(
    tx: Queryable,
    issuer: Participant,
    request: CredentialRequest,
    attributes: Record<string, unknown>,
  ): Promise<CredentialRequest> {
    const definitions = await this.#definitionsFor(issuer.id, request.definitionIds, tx)
    let subjects: Array<Record<string, unknown>>
    try {
      subjects = definitions.map((definition) => attestSubject(definition, request.holderDid, attributes))
    } catch (error) {
      if (!(error instanceof AttestationError)) throw error
      return this.reject(tx, request, error.message)
    }
    for (const [position, definition] of definitions.entries()) {
      await this.#issueOne(tx, issuer, request, definition, subjects[position]!)
    }
    const issued = await finishCredentialRequest(tx, request, { state: 'issued' })
    await enqueueDelivery(tx, issuer.id, request.issuerPid)
    return issued
  }

  /** Rejects a received request and queues a REJECTED CredentialMessage; run it in a transaction. */
  async reject(tx: Queryable, request: CredentialRequest, reason: string): Promise<CredentialRequest> {
    const rejected = await finishCredentialRequest(tx, request, { state: 'rejected', reason })
    await enqueueDelivery(tx, request.participantId, request.issuerPid)
    this.#options.logger.info({ participantId: request.participantId, issuerPid: request.issuerPid, reason }, 'credential request rejected')
    return rejected
  }

  /**
   * Rejects a holderPid the holder already used. The transaction-scoped advisory lock makes two
   * concurrent requests with one holderPid run one after the other, so only one is stored.
   */
  async #checkHolderPidUnused(tx: Queryable, participantId: string, holderDid: string, holderPid: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${participantId} ${holderDid} ${holderPid}`])
    if (await holderPidUsed(tx, participantId, holderDid, holderPid)) {
      throw new ConflictError('ERR_ISSUER_HOLDER_PID_CONFLICT', `holderPid "${holderPid}" was already used by this holder`)
    }
  }

  async #issueOne(
    tx: Queryable,
    issuer: Participant,
    request: CredentialRequest,
    definition: CredentialDefinition,
    subject: Record<string, unknown>,
  ): Promise<void> {
    const credentialId = randomUUID()
    const revocation = await this.#allocate(tx, issuer.id, definition, 'revocation', credentialId)
    const suspension = definition.suspendable ? await this.#allocate(tx, issuer.id, definition, 'suspension', credentialId) : null
    const validFrom = new Date(Math.floor(this.#now() / 1000) * 1000 - backdateSeconds * 1000)
    const validUntil = new Date(validFrom.getTime() + definition.validitySeconds * 1000)
    const claims = credentialClaims({
      profile: definition.profile,
      id: `urn:uuid:${credentialId}`,
      issuerDid: issuer.did,
      holderDid: request.holderDid,
      credentialType: definition.credentialType,
      contexts: definition.contexts,
      subject,
      statusEntries: [revocation, suspension]
        .filter((position): position is StatusEntryPosition & { purpose: StatusPurpose } => position !== null)
        .map((position) => this.#statusEntry(issuer.id, definition, position)),
      validFrom,
      validUntil,
    })
    const typ = definition.profile === 'vc11-sl2021/jwt' ? 'JWT' : 'vc+jwt'
    const raw = await signJwt(this.#options.keyManager, issuer.did, 'sign_credentials', { typ }, claims)
    const credential: Omit<IssuedCredential, 'status'> = {
      id: credentialId,
      participantId: issuer.id,
      issuerPid: request.issuerPid,
      holderDid: request.holderDid,
      definitionId: definition.id,
      credentialType: definition.credentialType,
      profile: definition.profile,
      raw,
      revocation,
      suspension,
      issuedAt: validFrom,
      expiresAt: validUntil,
    }
    await insertIssuedCredential(tx, credential)
  }

  async #allocate(
    tx: Queryable,
    participantId: string,
    definition: CredentialDefinition,
    purpose: StatusPurpose,
    credentialId: string,
  ): Promise<StatusEntryPosition & { purpose: StatusPurpose }> {
    const position = await allocateStatusEntry(tx, {
      participantId,
      purpose,
      type: statusListTypeOf(definition.profile),
      size: this.#options.config.statusList.size,
      credentialId,
    })
    return { ...position, purpose }
  }

  #statusEntry(participantId: string, definition: CredentialDefinition, position: StatusEntryPosition & { purpose: StatusPurpose }) {
    const url = statusListUrl(this.#options.publicBaseUrl, participantId, position.listId)
    return statusEntry(statusListTypeOf(definition.profile), position.purpose, url, position.index)
  }

  async #definitionsFor(participantId: string, ids: readonly string[], db: Queryable = this.#options.db) {
    const all = new Map((await listCredentialDefinitions(db, participantId)).map((definition) => [definition.id, definition]))
    return ids.map((id) => {
      const definition = all.get(id)
      if (!definition) {
        throw new AppError('ERR_ISSUER_CREDENTIAL_UNKNOWN', `credential "${id}" is not offered in the issuer metadata`)
      }
      return definition
    })
  }

  #now(): number {
    return (this.#options.now ?? Date.now)()
  }
}
