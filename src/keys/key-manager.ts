import { ConflictError, NotFoundError } from '../errors/app-error.js'
import type { Logger } from '../observability/logger.js'
import type { Database, Queryable } from '../storage/database.js'
import {
  fillMissingDefaults,
  findDefaultKey,
  findKey,
  findKeyById,
  findParticipantIdByDid,
  insertKey,
  listDefaultKeyIds,
  listKeys,
  markKeyRevoked,
  markKeyRotated,
  setDefaultKey,
  withoutMaterial,
  type StoredKey,
} from '../storage/key-repository.js'
import { getParticipant } from '../storage/participant-repository.js'
import type { Custodian, GeneratedKey, KeyIdentity } from './custodian.js'
import { custodianFor, type Custodians } from './custodians.js'
import { ExpiringCache } from './expiring-cache.js'
import { generateKeyId } from './key-ids.js'
import type { SignOptions, Signer } from './key-pair.js'
import type { KeyAlgorithm, KeyCustody, KeyUsage, ParticipantKey } from './key.js'

/** A default key with the signer of its private part, both taken from the caches. */
export interface ReadySigner {
  key: ParticipantKey
  sign: Signer
}

export interface CreateKeyOptions {
  usages: KeyUsage[]
  /** Default ES256. */
  algorithm?: KeyAlgorithm
  /** Default KEY_CUSTODY. */
  custody?: KeyCustody
}

/** Runs work in one transaction. The admin API passes one that also writes the audit row. */
export type TransactionRunner = <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>

export interface ChangeOptions {
  transaction?: TransactionRunner
}

/**
 * The signing keys of all participants. Lookups and signatures are cached, so a signature with
 * a participant's default key needs no database query in steady state.
 */
export interface KeyManager {
  /** Creates a key, which becomes the default for each of its usages that has none. */
  create(participantId: string, options: CreateKeyOptions, change?: ChangeOptions): Promise<ParticipantKey>
  /** Lists keys oldest first, with revoked ones only when `includeRevoked` is set. */
  list(participantId: string, options?: { includeRevoked?: boolean }): Promise<ParticipantKey[]>
  /** Returns the default key for a usage, or raises ERR_KEY_NO_DEFAULT when there is none. */
  defaultKey(participantId: string, usage: KeyUsage): Promise<ParticipantKey>
  /** Same as `defaultKey` for the participant with this DID. */
  defaultKeyForDid(did: string, usage: KeyUsage): Promise<ParticipantKey>
  /** Signs a JWS signing input. ES256 signatures come as `r || s`. */
  sign(key: ParticipantKey, signingInput: Uint8Array, options?: SignOptions): Promise<Uint8Array>
  /**
   * Returns the default key for a usage of the participant with this DID, together with its
   * loaded signer, or undefined when this process has not cached both. Signing through it skips
   * the awaits of `defaultKeyForDid` and `sign`, which took about a fifth of an STS token's event
   * loop time.
   */
  readySigner(did: string, usage: KeyUsage): ReadySigner | undefined
  /** Replaces an active key by a new one with the same usages, algorithm and custody, which becomes the default. */
  rotate(participantId: string, keyId: string, change?: ChangeOptions): Promise<ParticipantKey>
  /** Revokes a key and erases its private part. Revoking a revoked key changes nothing. */
  revoke(participantId: string, keyId: string, change?: ChangeOptions): Promise<ParticipantKey>
  /** Loads the private parts of all default keys into memory and returns how many it loaded. */
  preload(): Promise<number>
  /** Drops the cached default keys and DID of a participant whose keys changed or that was deleted. */
  forgetParticipant(participantId: string): void
  /** Drops every cached default key and DID, such as when change notifications may have been missed. */
  forgetAll(): void
}

export interface KeyManagerOptions {
  db: Database
  custodians: Custodians
  /** Custody of keys created without one, from KEY_CUSTODY. */
  defaultCustody: KeyCustody
  logger: Logger
  /** Time a default-key lookup is cached; 0 turns the cache off. */
  cacheTtlSeconds: number
  now?: () => number
}

// Loaded signers are kept this long, which bounds how long a key revoked on another replica
// stays in this process's memory.
const signerTtlMs = 15 * 60 * 1000
const maxCachedEntries = 10_000

export function createKeyManager(options: KeyManagerOptions): KeyManager {
  return new CachingKeyManager(options)
}

class CachingKeyManager implements KeyManager {
  readonly #db: Database
  readonly #custodians: Custodians
  readonly #defaultCustody: KeyCustody
  readonly #logger: Logger
  readonly #defaults: ExpiringCache<string, ParticipantKey>
  readonly #participantIds: ExpiringCache<string, string>
  readonly #signers: ExpiringCache<string, SignerSlot>
  /** Counts cache invalidations, so a lookup that overlaps one does not cache what it read before. */
  #generation = 0

  constructor(options: KeyManagerOptions) {
    this.#db = options.db
    this.#custodians = options.custodians
    this.#defaultCustody = options.defaultCustody
    this.#logger = options.logger
    const ttlMs = options.cacheTtlSeconds * 1000
    const now = options.now ?? Date.now
    this.#defaults = new ExpiringCache({ ttlMs, maxEntries: maxCachedEntries, now })
    this.#participantIds = new ExpiringCache({ ttlMs, maxEntries: maxCachedEntries, now })
    this.#signers = new ExpiringCache({ ttlMs: signerTtlMs, maxEntries: maxCachedEntries, now })
  }

  async create(participantId: string, options: CreateKeyOptions, change: ChangeOptions = {}): Promise<ParticipantKey> {
    const usages = uniqueUsages(options.usages)
    const custody = options.custody ?? this.#defaultCustody
    const identity = newIdentity(participantId, options.algorithm ?? 'ES256', usages)

    let custodian: Custodian | undefined
    let generated: GeneratedKey | undefined
    const key = await this.#run(change, async (tx) => {
      // Inside the transaction, so an unavailable custody is audited like any failed change.
      custodian = custodianFor(this.#custodians, custody)
      await requireActiveParticipant(tx, participantId)
      generated = await custodian.generate(identity)
      await insertKey(tx, toNewKey(identity, custody, generated))
      await fillMissingDefaults(tx, participantId, usages)
      return (await findKey(tx, participantId, identity.keyId))!
    }).catch(async (error: unknown) => {
      if (custodian && generated) await custodian.discard(identity, generated.material)
      throw error
    })

    this.#invalidate(participantId)
    if (generated?.signer) this.#signers.set(key.id, loadedSlot(generated.signer))
    this.#logger.info({ participantId, keyId: key.id, custody, algorithm: key.algorithm, usages }, 'key created')
    return withoutMaterial(key)
  }

  async list(participantId: string, options: { includeRevoked?: boolean } = {}): Promise<ParticipantKey[]> {
    const keys = await listKeys(this.#db, participantId, options)
    if (keys.length === 0) await getParticipant(this.#db, participantId)
    return keys
  }

  async defaultKey(participantId: string, usage: KeyUsage): Promise<ParticipantKey> {
    const cacheKey = defaultsKey(participantId, usage)
    const cached = this.#defaults.get(cacheKey)
    if (cached) return cached

    const generation = this.#generation
    const key = await findDefaultKey(this.#db, participantId, usage)
    if (!key) {
      await getParticipant(this.#db, participantId)
      throw new ConflictError(
        'ERR_KEY_NO_DEFAULT',
        `participant "${participantId}" has no active key for usage "${usage}"; create a key with that usage`,
      )
    }
    // A read that started before a rotation or revocation committed may return the key before it,
    // and caching that would sign with it, or fail to, for the cache's lifetime.
    if (generation === this.#generation) this.#defaults.set(cacheKey, Object.freeze(key))
    return key
  }

  async defaultKeyForDid(did: string, usage: KeyUsage): Promise<ParticipantKey> {
    let participantId = this.#participantIds.get(did)
    if (participantId === undefined) {
      const generation = this.#generation
      participantId = await findParticipantIdByDid(this.#db, did)
      if (participantId === undefined) {
        throw new NotFoundError('ERR_PARTICIPANT_NOT_FOUND', `no participant has the DID "${did}"`)
      }
      if (generation === this.#generation) this.#participantIds.set(did, participantId)
    }
    return this.defaultKey(participantId, usage)
  }

  async sign(key: ParticipantKey, signingInput: Uint8Array, options?: SignOptions): Promise<Uint8Array> {
    if (key.state === 'revoked') throw notActive(key, 'used to sign')
    const signer = await this.#signer(key.id)
    return signer(signingInput, options)
  }

  async rotate(participantId: string, keyId: string, change: ChangeOptions = {}): Promise<ParticipantKey> {
    let generated: GeneratedKey | undefined
    let identity: KeyIdentity | undefined
    let custody: KeyCustody | undefined
    const key = await this.#run(change, async (tx) => {
      await requireActiveParticipant(tx, participantId)
      const old = await requireKey(tx, participantId, keyId)
      if (old.state !== 'active') throw notActive(old, 'rotated')

      custody = old.custody
      identity = newIdentity(participantId, old.algorithm, old.usages)
      generated = await custodianFor(this.#custodians, custody).generate(identity)
      await insertKey(tx, toNewKey(identity, custody, generated))
      await markKeyRotated(tx, old.id, identity.keyId)
      await setDefaultKey(tx, participantId, identity.keyId, old.usages)
      return (await findKey(tx, participantId, identity.keyId))!
    }).catch(async (error: unknown) => {
      if (generated && identity && custody) {
        await custodianFor(this.#custodians, custody).discard(identity, generated.material)
      }
      throw error
    })

    this.#invalidate(participantId)
    this.#signers.delete(keyId)
    if (generated?.signer) this.#signers.set(key.id, loadedSlot(generated.signer))
    this.#logger.info({ participantId, keyId: key.id, rotatedKeyId: keyId, custody }, 'key rotated')
    return withoutMaterial(key)
  }

  async revoke(participantId: string, keyId: string, change: ChangeOptions = {}): Promise<ParticipantKey> {
    let before: StoredKey | undefined
    const key = await this.#run(change, async (tx) => {
      await getParticipant(tx, participantId)
      before = await requireKey(tx, participantId, keyId)
      if (before.state === 'revoked') return before
      await markKeyRevoked(tx, keyId)
      await fillMissingDefaults(tx, participantId, before.defaultFor)
      return (await findKey(tx, participantId, keyId))!
    })

    this.#invalidate(participantId)
    this.#signers.delete(keyId)
    // KMS runs after the commit, so an unreachable KMS never keeps a key in the DID document.
    // Revoking again retries it.
    await this.#retire(before!)
    this.#logger.info({ participantId, keyId, custody: key.custody }, 'key revoked')
    return withoutMaterial(key)
  }

  async preload(): Promise<number> {
    let loaded = 0
    for (const keyId of await listDefaultKeyIds(this.#db)) {
      try {
        await this.#signer(keyId)
        loaded += 1
      } catch (error) {
        this.#logger.error({ err: error, keyId }, 'failed to load a signing key at start, so it is retried on first use')
      }
    }
    return loaded
  }

  async #retire(key: StoredKey): Promise<void> {
    const custodian = this.#custodians[key.custody]
    if ('unavailable' in custodian) {
      if (key.custody === 'aws-kms') {
        this.#logger.warn(
          { keyId: key.id, kmsKeyId: key.material.kmsKeyId },
          'KMS is not configured, so the revoked KMS key was not scheduled for deletion',
        )
      }
      return
    }
    try {
      await custodian.retire(identityOf(key), key.material)
    } catch (error) {
      this.#logger.error(
        { err: error, participantId: key.participantId, keyId: key.id, kmsKeyId: key.material.kmsKeyId },
        'revoked key could not be scheduled for deletion in KMS; revoke it again to retry',
      )
    }
  }

  readySigner(did: string, usage: KeyUsage): ReadySigner | undefined {
    const participantId = this.#participantIds.get(did)
    if (participantId === undefined) return undefined
    const key = this.#defaults.get(defaultsKey(participantId, usage))
    // A revoked key goes through sign instead, which rejects it with ERR_KEY_NOT_ACTIVE.
    if (key === undefined || key.state === 'revoked') return undefined
    const sign = this.#signers.get(key.id)?.loaded
    return sign === undefined ? undefined : { key, sign }
  }

  #signer(keyId: string): Promise<Signer> {
    let slot = this.#signers.get(keyId)
    if (slot === undefined) {
      const loading: SignerSlot = { pending: this.#loadSigner(keyId) }
      this.#signers.set(keyId, loading)
      loading.pending.then(
        (signer) => {
          loading.loaded = signer
        },
        () => {
          // A failed load is not cached, so the next signature tries again.
          if (this.#signers.get(keyId) === loading) this.#signers.delete(keyId)
        },
      )
      slot = loading
    }
    return slot.pending
  }

  async #loadSigner(keyId: string): Promise<Signer> {
    const stored = await findKeyById(this.#db, keyId)
    if (!stored) throw new NotFoundError('ERR_KEY_NOT_FOUND', `key "${keyId}" not found`)
    if (stored.state === 'revoked') throw notActive(stored, 'used to sign')
    return custodianFor(this.#custodians, stored.custody).loadSigner(identityOf(stored), stored.material)
  }

  #run<T>(change: ChangeOptions, work: (tx: Queryable) => Promise<T>): Promise<T> {
    return change.transaction ? change.transaction(work) : this.#db.transaction(work)
  }

  forgetParticipant(participantId: string): void {
    this.#invalidate(participantId)
    this.#participantIds.deleteWhere((_did, id) => id === participantId)
  }

  forgetAll(): void {
    this.#generation += 1
    this.#defaults.clear()
    this.#participantIds.clear()
  }

  #invalidate(participantId: string): void {
    this.#generation += 1
    const prefix = defaultsKey(participantId, '')
    this.#defaults.deleteWhere((key) => key.startsWith(prefix))
  }
}

/** A signer being loaded, and the signer itself once it is, so a cached signature needs no await. */
interface SignerSlot {
  pending: Promise<Signer>
  loaded?: Signer
}

function loadedSlot(signer: Signer): SignerSlot {
  return { pending: Promise.resolve(signer), loaded: signer }
}

function defaultsKey(participantId: string, usage: KeyUsage | ''): string {
  // NUL cannot occur in a participant id, so one participant's prefix never matches another's.
  return `${participantId}\u0000${usage}`
}

function uniqueUsages(usages: readonly KeyUsage[]): KeyUsage[] {
  if (usages.length === 0) throw new TypeError('a key needs at least one usage')
  return [...new Set(usages)]
}

function newIdentity(participantId: string, algorithm: KeyAlgorithm, usages: KeyUsage[]): KeyIdentity {
  const keyId = generateKeyId()
  return { participantId, keyId, fragment: `key-${keyId}`, algorithm, usages }
}

function identityOf(key: StoredKey): KeyIdentity {
  const { participantId, id: keyId, fragment, algorithm, usages } = key
  return { participantId, keyId, fragment, algorithm, usages }
}

function toNewKey(identity: KeyIdentity, custody: KeyCustody, generated: GeneratedKey) {
  return {
    id: identity.keyId,
    participantId: identity.participantId,
    fragment: identity.fragment,
    algorithm: identity.algorithm,
    usages: [...identity.usages],
    custody,
    publicJwk: generated.publicJwk,
    ...generated.material,
  }
}

async function requireActiveParticipant(tx: Queryable, participantId: string): Promise<void> {
  const participant = await getParticipant(tx, participantId)
  if (participant.state !== 'active') {
    throw new ConflictError('ERR_PARTICIPANT_DEACTIVATED', `participant "${participantId}" is deactivated`)
  }
}

async function requireKey(tx: Queryable, participantId: string, keyId: string): Promise<StoredKey> {
  const key = await findKey(tx, participantId, keyId, { forUpdate: true })
  if (!key) throw new NotFoundError('ERR_KEY_NOT_FOUND', `participant "${participantId}" has no key "${keyId}"`)
  return key
}

function notActive(key: { id: string; participantId: string; state: string }, action: string): ConflictError {
  return new ConflictError(
    'ERR_KEY_NOT_ACTIVE',
    `key "${key.id}" of participant "${key.participantId}" is ${key.state}, so it cannot be ${action}`,
  )
}
