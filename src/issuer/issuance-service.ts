import { randomUUID } from 'node:crypto'
import type { IssuerConfig } from '../config/issuer-variables.js'
import type { StatusPurpose } from '../credentials/status-list.js'
import { signCredential } from '../credentials/data-integrity/data-integrity.js'
import { createDocumentLoader } from '../credentials/data-integrity/document-loader.js'
import { statusEntry, statusListProofFormatOf, statusListTypeOf } from '../credentials/status-list-credential.js'
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
  claimStalledAutoRequests,
  finishCredentialRequest,
  holderPidUsed,
  insertCredentialRequest,
  lockCredentialRequest,
} from '../storage/issuer-request-repository.js'
import { getParticipant } from '../storage/participant-repository.js'
import { allocateStatusEntry, type StatusEntryPosition } from '../storage/status-list-repository.js'
import { attestSubject, AttestationError } from './attestation.js'
import { credentialClaims, credentialDocumentV2, type CredentialClaimsInput } from './credential-claims.js'
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

/** The outcome of a request, prepared outside any transaction and stored by `commit`. */
export type Decision =
  | { request: CredentialRequest; kind: 'issue'; credentials: Array<Omit<IssuedCredential, 'status'>> }
  | { request: CredentialRequest; kind: 'reject'; reason: string }

/** Seconds by which issuanceDate precedes the signing time, because verifiers allow no leeway. */
const backdateSeconds = 5

/** Age after which an auto-approved request that is still received gets another issuance attempt. */
const stalledAfterMs = 30_000

/**
 * Receives credential requests, decides them and issues credentials. A decision is prepared
 * first: claims from the holder's attributes, status entries, signatures. Signing may call KMS
 * and the key store, so it runs outside any transaction. `commit` then stores the credentials,
 * finishes the request and queues its delivery in one transaction, so a request is either
 * decided and queued or still received.
 */
export class IssuanceService {
  readonly #options: IssuanceServiceOptions

  constructor(options: IssuanceServiceOptions) {
    this.#options = options
  }

  /**
   * Stores a CredentialRequestMessage of an authenticated holder. When every requested
   * definition approves automatically, the credentials are issued at once. When that fails for
   * a reason other than the holder's attributes, the request stays received and is retried.
   */
  async receive(issuer: Participant, holderDid: string, message: CredentialRequestMessage): Promise<CredentialRequest> {
    const { db, config, logger } = this.#options
    // TODO: issuance policies are not supported, so the `token` claim of the holder's SI token is
    // never used to fetch presentations from its Credential Service; attributes come from the registry.
    const definitions = await this.#definitionsFor(issuer.id, message.credentialIds)
    const holder = await findIssuerHolderByDid(db, issuer.id, holderDid)
    if (!holder && !config.allowUnknownHolders) {
      throw new AppError('ERR_ISSUER_HOLDER_UNKNOWN', `holder ${JSON.stringify(holderDid)} is not registered with this issuer`)
    }
    const stored = await db.transaction(async (tx) => {
      if (!config.allowRepeatedHolderPid) await this.#checkHolderPidUnused(tx, issuer.id, holderDid, message.holderPid)
      return insertCredentialRequest(tx, {
        participantId: issuer.id,
        issuerPid: randomUUID(),
        holderDid,
        holderPid: message.holderPid,
        definitionIds: definitions.map((definition) => definition.id),
        autoApprove: definitions.every((definition) => definition.approval === 'auto'),
      })
    })
    const ids = { participantId: issuer.id, issuerPid: stored.issuerPid, holder: holderDid }
    logger.info({ ...ids, autoApprove: stored.autoApprove }, 'credential request received')
    if (!stored.autoApprove) return stored
    try {
      return await this.decideNow(issuer, stored, holder?.attributes ?? {})
    } catch (error) {
      logger.error({ ...ids, err: error }, 'issuing credentials failed; the request stays received and is retried')
      return stored
    }
  }

  /** Prepares and commits a decision in its own transaction, then starts the delivery. */
  async decideNow(issuer: Participant, request: CredentialRequest, attributes: Record<string, unknown>): Promise<CredentialRequest> {
    const decision = await this.prepare(issuer, request, attributes)
    const decided = await this.#options.db.transaction((tx) => this.commit(tx, decision))
    this.#options.onDeliveryQueued()
    return decided
  }

  /**
   * Builds and signs the credentials of a request, or a rejection when the holder lacks an
   * attribute that a claim needs or a subject fails its schema.
   */
  async prepare(issuer: Participant, request: CredentialRequest, attributes: Record<string, unknown>): Promise<Decision> {
    const definitions = await this.#definitionsFor(issuer.id, request.definitionIds)
    let subjects: Array<Record<string, unknown>>
    try {
      subjects = definitions.map((definition) => attestSubject(definition, request.holderDid, attributes))
    } catch (error) {
      if (!(error instanceof AttestationError)) throw error
      return { request, kind: 'reject', reason: error.message }
    }
    const credentials: Array<Omit<IssuedCredential, 'status'>> = []
    for (const [position, definition] of definitions.entries()) {
      credentials.push(await this.#signOne(issuer, request, definition, subjects[position]!))
    }
    return { request, kind: 'issue', credentials }
  }

  /**
   * Stores a prepared decision and queues its CredentialMessage. Fails with
   * ERR_ISSUER_REQUEST_STATE when the request was decided in the meantime. Call
   * `onDeliveryQueued` after the transaction commits.
   */
  async commit(tx: Queryable, decision: Decision): Promise<CredentialRequest> {
    const request = await lockCredentialRequest(tx, decision.request.participantId, decision.request.issuerPid)
    if (decision.kind === 'reject') return this.reject(tx, request, decision.reason)
    for (const credential of decision.credentials) await insertIssuedCredential(tx, credential)
    const issued = await finishCredentialRequest(tx, request, { state: 'issued' })
    await enqueueDelivery(tx, request.participantId, request.issuerPid)
    return issued
  }

  /** Rejects a received request and queues a REJECTED CredentialMessage; run it in a transaction. */
  async reject(tx: Queryable, request: CredentialRequest, reason: string): Promise<CredentialRequest> {
    const rejected = await finishCredentialRequest(tx, request, { state: 'rejected', reason })
    await enqueueDelivery(tx, request.participantId, request.issuerPid)
    this.#options.logger.info({ participantId: request.participantId, issuerPid: request.issuerPid, reason }, 'credential request rejected')
    return rejected
  }

  /** Issues auto-approved requests whose first attempt failed; returns how many were tried. */
  async retryStalled(): Promise<number> {
    const { db, logger } = this.#options
    const stalled = await claimStalledAutoRequests(db, new Date(this.#now() - stalledAfterMs), 10)
    for (const request of stalled) {
      try {
        const issuer = await getParticipant(db, request.participantId)
        const holder = await findIssuerHolderByDid(db, request.participantId, request.holderDid)
        await this.decideNow(issuer, request, holder?.attributes ?? {})
      } catch (error) {
        const ids = { participantId: request.participantId, issuerPid: request.issuerPid }
        logger.error({ ...ids, err: error }, 'issuing credentials failed again; retrying later')
      }
    }
    return stalled.length
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

  async #signOne(
    issuer: Participant,
    request: CredentialRequest,
    definition: CredentialDefinition,
    subject: Record<string, unknown>,
  ): Promise<Omit<IssuedCredential, 'status'>> {
    const credentialId = randomUUID()
    // Entries are reserved in their own transaction; if signing fails, an unused entry stays 0.
    const [revocation, suspension] = await this.#options.db.transaction(async (tx) => [
      await this.#allocate(tx, issuer.id, definition, 'revocation', credentialId),
      definition.suspendable ? await this.#allocate(tx, issuer.id, definition, 'suspension', credentialId) : null,
    ])
    const validFrom = new Date(Math.floor(this.#now() / 1000) * 1000 - backdateSeconds * 1000)
    const validUntil = new Date(validFrom.getTime() + definition.validitySeconds * 1000)
    const positions = suspension ? [revocation!, suspension] : [revocation!]
    const raw = await this.#sign(issuer.did, {
      profile: definition.profile,
      id: `urn:uuid:${credentialId}`,
      issuerDid: issuer.did,
      holderDid: request.holderDid,
      credentialType: definition.credentialType,
      contexts: definition.contexts,
      subject,
      statusEntries: positions.map((position) => this.#statusEntry(issuer.id, definition, position)),
      validFrom,
      validUntil,
    })
    return {
      id: credentialId,
      participantId: issuer.id,
      issuerPid: request.issuerPid,
      holderDid: request.holderDid,
      definitionId: definition.id,
      credentialType: definition.credentialType,
      profile: definition.profile,
      raw,
      revocation: revocation!,
      suspension,
      issuedAt: validFrom,
      expiresAt: validUntil,
    }
  }

  /** Signs a credential as a JWT, or as JSON text with a Data Integrity proof for `vc20-bssl/json-ld`. */
  async #sign(issuerDid: string, input: CredentialClaimsInput): Promise<string> {
    const { keyManager } = this.#options
    if (input.profile === 'vc20-bssl/json-ld') {
      const signed = await signCredential(credentialDocumentV2(input), {
        keyManager,
        did: issuerDid,
        usage: 'sign_credentials',
        documentLoader: createDocumentLoader(),
      })
      return JSON.stringify(signed)
    }
    const typ = input.profile === 'vc11-sl2021/jwt' ? 'JWT' : 'vc+jwt'
    return signJwt(keyManager, issuerDid, 'sign_credentials', { typ }, credentialClaims(input))
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
      proofFormat: statusListProofFormatOf(definition.profile),
      size: this.#options.config.statusList.size,
      credentialId,
    })
    return { ...position, purpose }
  }

  #statusEntry(participantId: string, definition: CredentialDefinition, position: StatusEntryPosition & { purpose: StatusPurpose }) {
    const url = statusListUrl(this.#options.publicBaseUrl, participantId, position.listId)
    return statusEntry(statusListTypeOf(definition.profile), position.purpose, url, position.index)
  }

  async #definitionsFor(participantId: string, ids: readonly string[]): Promise<CredentialDefinition[]> {
    const all = new Map((await listCredentialDefinitions(this.#options.db, participantId)).map((definition) => [definition.id, definition]))
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
