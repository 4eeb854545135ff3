import { randomBytes } from 'node:crypto'
import { everyHolder } from '../holder/holder-snapshots.js'
import { ExpiringCache } from '../keys/expiring-cache.js'
import type { Database, Queryable } from '../storage/database.js'
import {
  insertAccessTokenKey,
  listAccessTokenKeys,
  lockParticipantKeys,
  pruneAccessTokenKeys,
  type AccessTokenKey,
} from '../storage/access-token-key-repository.js'

/** Change notifications of participants, as the holder snapshots receive them. */
export interface ParticipantChanges {
  addChangeListener(listener: (participantId: string) => void): void
}

export interface AccessTokenKeysOptions {
  db: Pick<Database, 'query' | 'exec' | 'transaction'>
  /** How long a participant's keys are cached when no change notification drops them sooner. */
  ttlSeconds: number
  /**
   * Notifications that drop a participant's cached keys when another replica creates, rotates or
   * deletes one. Without them, or while they do not arrive, a change shows within `ttlSeconds`.
   */
  changes?: ParticipantChanges
  now?: () => number
}

// A token with an unknown key id reloads the participant's keys at most this often. That finds a
// key created on another replica whose notification was missed, and made-up ids cannot flood the database.
const reloadIntervalMs = 1000
// A rotation keeps the key before it, so tokens minted just before it stay valid until they expire.
const keptAfterRotation = 2

/**
 * The HMAC keys of each participant's access tokens. A participant gets its first key when its
 * STS mints its first access token; replicas read the keys from the database and cache them.
 */
export class AccessTokenKeys {
  readonly #db: AccessTokenKeysOptions['db']
  readonly #now: () => number
  readonly #cache: ExpiringCache<string, Promise<AccessTokenKey[]>>
  readonly #loadedAt = new Map<string, number>()
  readonly #creating = new Map<string, Promise<AccessTokenKey>>()

  constructor(options: AccessTokenKeysOptions) {
    this.#db = options.db
    this.#now = options.now ?? Date.now
    this.#cache = new ExpiringCache({ ttlMs: options.ttlSeconds * 1000, maxEntries: 10_000, now: this.#now })
    options.changes?.addChangeListener((participantId) => {
      if (participantId === everyHolder) this.#cache.clear()
      else this.#cache.delete(participantId)
    })
  }

  /** Returns the key for the participant's new tokens: its newest, created when it has none. */
  async current(participantId: string): Promise<AccessTokenKey> {
    const newest = (await this.#keys(participantId))[0]
    if (newest !== undefined) return newest
    // Concurrent first tokens in this process share one creation. Another replica that creates the
    // first key at the same time finds this one under the participant's lock, or the reverse.
    let pending = this.#creating.get(participantId)
    if (pending === undefined) {
      pending = this.#create(participantId).finally(() => this.#creating.delete(participantId))
      this.#creating.set(participantId, pending)
    }
    return pending
  }

  /** Returns the participant's key with this id, or undefined. */
  async find(participantId: string, id: string): Promise<AccessTokenKey | undefined> {
    const found = (await this.#keys(participantId)).find((key) => key.id === id)
    if (found !== undefined || this.#now() - (this.#loadedAt.get(participantId) ?? 0) < reloadIntervalMs) return found
    this.#cache.delete(participantId)
    return (await this.#keys(participantId)).find((key) => key.id === id)
  }

  /**
   * Creates a new key for the participant's next tokens and deletes all keys but it and the one
   * before it, so tokens minted with an older key stop working. `db` may be a transaction; call
   * `forget` once it commits.
   */
  async rotate(participantId: string, db: Queryable = this.#db): Promise<{ id: string; createdAt: Date }> {
    const key = newKey()
    await lockParticipantKeys(db, participantId)
    const createdAt = await insertAccessTokenKey(db, { participantId, ...key })
    await pruneAccessTokenKeys(db, participantId, keptAfterRotation)
    this.forget(participantId)
    return { id: key.id, createdAt }
  }

  /** Drops the participant's cached keys, after a change in this process. */
  forget(participantId: string): void {
    this.#cache.delete(participantId)
  }

  async #create(participantId: string): Promise<AccessTokenKey> {
    // Under the participant's lock, so another replica's first key or a rotation is seen and kept.
    await this.#db.transaction(async (tx) => {
      await lockParticipantKeys(tx, participantId)
      if ((await listAccessTokenKeys(tx, participantId)).length === 0) await insertAccessTokenKey(tx, { participantId, ...newKey() })
    })
    this.#cache.delete(participantId)
    return this.#newest(participantId)
  }

  async #newest(participantId: string): Promise<AccessTokenKey> {
    const newest = (await this.#keys(participantId))[0]
    if (newest === undefined) throw new Error(`the access token key of participant "${participantId}" was deleted as it was created`)
    return newest
  }

  #keys(participantId: string): Promise<AccessTokenKey[]> {
    let keys = this.#cache.get(participantId)
    if (keys === undefined) {
      keys = listAccessTokenKeys(this.#db, participantId)
      this.#cache.set(participantId, keys)
      this.#loadedAt.set(participantId, this.#now())
      const loading = keys
      // A failed read is not kept, unless a newer read has replaced it already.
      loading.catch(() => {
        if (this.#cache.get(participantId) === loading) this.#cache.delete(participantId)
      })
    }
    return keys
  }
}

function newKey(): { id: string; secret: Buffer } {
  return { id: randomBytes(9).toString('base64url'), secret: randomBytes(32) }
}
