import { decodeJwt } from 'jose'
import type { IssuerConfig } from '../config/issuer-variables.js'
import { signCredential } from '../credentials/data-integrity/data-integrity.js'
import { createDocumentLoader } from '../credentials/data-integrity/document-loader.js'
import { encodeStatusList, type StatusListProofFormat, type StatusListType } from '../credentials/status-list.js'
import { bitstringStatusListDocument, statusListCredentialClaims, type StatusListCredentialInput } from '../credentials/status-list-credential.js'
import type { KeyManager } from '../keys/key-manager.js'
import { signJwt } from '../keys/sign-jwt.js'
import type { Logger } from '../observability/logger.js'
import type { Database } from '../storage/database.js'
import { getParticipant } from '../storage/participant-repository.js'
import {
  getStatusList,
  listSetIndices,
  listStaleStatusLists,
  storeSignedStatusList,
  type StatusList,
} from '../storage/status-list-repository.js'

export interface StatusListServiceOptions {
  db: Database
  keyManager: KeyManager
  config: IssuerConfig['statusList']
  publicBaseUrl: string
  logger: Logger
  now?: () => number
}

/** A signed status list credential and the claims it carries. */
export interface SignedStatusList {
  type: StatusListType
  proofFormat: StatusListProofFormat
  /** A compact JWS, or the JSON text of a credential with a Data Integrity proof. */
  credential: string
  /**
   * The credential as JSON: the `vc` claim for StatusList2021, the payload for Bitstring JWTs,
   * the credential with its `proof` for Data Integrity.
   */
  document: Record<string, unknown>
}

/** Public URL of a status list credential; it never changes while the list exists. */
export function statusListUrl(publicBaseUrl: string, participantId: string, listId: string): string {
  return `${publicBaseUrl}/p/${participantId}/status-lists/${listId}`
}

/**
 * Signs status list credentials and keeps them current: a list is signed again when a bit
 * changed since it was signed, or when less than a quarter of its validity remains.
 */
export class StatusListService {
  readonly #options: StatusListServiceOptions

  constructor(options: StatusListServiceOptions) {
    this.#options = options
  }

  /** Returns the current signed credential of a list, signing it first when it is stale. */
  async current(participantId: string, listId: string): Promise<SignedStatusList> {
    const list = await getStatusList(this.#options.db, participantId, listId)
    const credential = this.#isFresh(list) ? list.credential! : await this.#sign(list)
    if (list.proofFormat === 'data-integrity') {
      return { type: list.type, proofFormat: list.proofFormat, credential, document: JSON.parse(credential) as Record<string, unknown> }
    }
    const claims = decodeJwt(credential)
    const document = (list.type === 'StatusList2021' ? claims.vc : claims) as Record<string, unknown>
    return { type: list.type, proofFormat: list.proofFormat, credential, document }
  }

  /** Signs every stale list again; run periodically so lists never expire while served. */
  async renewStale(): Promise<number> {
    const renewBefore = new Date(this.#now() + (this.#options.config.ttlSeconds * 1000) / 4)
    const stale = await listStaleStatusLists(this.#options.db, renewBefore, 100)
    for (const list of stale) await this.#sign(list)
    return stale.length
  }

  #isFresh(list: StatusList): boolean {
    if (list.credential === null || list.expiresAt === null || list.signedVersion < list.version) return false
    const remainingMs = list.expiresAt.getTime() - this.#now()
    return remainingMs > (this.#options.config.ttlSeconds * 1000) / 4
  }

  async #sign(list: StatusList): Promise<string> {
    const { db, publicBaseUrl, config } = this.#options
    const participant = await getParticipant(db, list.participantId)
    // Reading the version before the entries means a concurrent change can only make the stored
    // credential look older than it is, never newer.
    const version = list.version
    const setIndices = await listSetIndices(db, list.id)
    const issuedAt = new Date(this.#now() - 5000)
    const expiresAt = new Date(issuedAt.getTime() + config.ttlSeconds * 1000)
    const input: StatusListCredentialInput = {
      type: list.type,
      purpose: list.purpose,
      url: statusListUrl(publicBaseUrl, list.participantId, list.id),
      issuerDid: participant.did,
      encodedList: encodeStatusList(list.size, setIndices, list.type),
      issuedAt,
      expiresAt,
    }
    const credential = list.proofFormat === 'data-integrity' ? await this.#signDataIntegrity(input) : await this.#signJwt(input)
    await storeSignedStatusList(db, list.id, { credential, expiresAt, version })
    this.#options.logger.debug({ participantId: list.participantId, listId: list.id, version }, 'status list signed')
    return credential
  }

  async #signJwt(input: StatusListCredentialInput): Promise<string> {
    const typ = input.type === 'StatusList2021' ? 'JWT' : 'vc+jwt'
    return signJwt(this.#options.keyManager, input.issuerDid, 'sign_credentials', { typ }, statusListCredentialClaims(input))
  }

  async #signDataIntegrity(input: StatusListCredentialInput): Promise<string> {
    const signed = await signCredential(bitstringStatusListDocument(input), {
      keyManager: this.#options.keyManager,
      did: input.issuerDid,
      usage: 'sign_credentials',
      documentLoader: createDocumentLoader(),
    })
    return JSON.stringify(signed)
  }

  #now(): number {
    return (this.#options.now ?? Date.now)()
  }
}
