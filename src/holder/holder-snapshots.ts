import { ExpiringCache } from '../keys/expiring-cache.js'
import type { Logger } from '../observability/logger.js'
import { listIssuedCredentials, type StoredCredential } from '../storage/credential-repository.js'
import type { Database, Subscription } from '../storage/database.js'
import { listVerifierRules, type VerifierAccessRule } from '../storage/verifier-access-repository.js'

/** The data of a holder that a presentation query reads: issued credentials and verifier rules. */
export interface HolderSnapshot {
  /** Credentials in state `issued`, newest first; the validity period is checked per query. */
  credentials: StoredCredential[]
  /** Rules of every verifier; a query keeps those of its verifier. */
  rules: VerifierAccessRule[]
}

/** Notification channel of the triggers on `holder_credentials`, `verifier_access_rules` and `access_token_keys`. */
export const holderChangeChannel = 'dcp_holder_changed'

/** Notification payload that names every holder, sent after a TRUNCATE. */
export const everyHolder = '*'

// A safety bound only: every change drops the entry at once through the notification.
const snapshotTtlMs = 60_000
const maxHolders = 10_000

/**
 * Keeps each holder's snapshot in memory between presentation queries, so a query reads the
 * database once (for its token id) instead of three times. A change on any replica drops the
 * snapshot when PostgreSQL delivers the notification of its commit. While the listening connection
 * is down, snapshots are neither kept nor used, since changes would go unnoticed.
 */
export class HolderSnapshots {
  readonly #db: Database
  readonly #logger: Logger
  readonly #cache = new ExpiringCache<string, Promise<HolderSnapshot>>({ ttlMs: snapshotTtlMs, maxEntries: maxHolders })
  readonly #changeListeners: Array<(participantId: string) => void> = []
  #subscription: Subscription | undefined

  constructor(db: Database, logger: Logger) {
    this.#db = db
    this.#logger = logger
  }

  async start(): Promise<void> {
    this.#subscription = await this.#db.listen(holderChangeChannel, {
      notify: (participantId) => {
        if (participantId === everyHolder) this.#cache.clear()
        else this.#cache.delete(participantId)
        for (const listener of this.#changeListeners) listener(participantId)
      },
      reset: (listening) => {
        this.#cache.clear()
        for (const listener of this.#changeListeners) listener(everyHolder)
        if (listening) this.#logger.info({ channel: holderChangeChannel }, 'listening for holder changes')
      },
      error: (error) => {
        this.#logger.warn({ err: error, channel: holderChangeChannel }, 'holder change listener failed; presentation queries read the database until it reconnects')
      },
    })
  }

  /**
   * Adds a listener for the participant id of each change notification, `*` for every
   * participant, which it also receives when notifications may have been missed.
   */
  addChangeListener(listener: (participantId: string) => void): void {
    this.#changeListeners.push(listener)
  }

  async stop(): Promise<void> {
    await this.#subscription?.close()
    this.#cache.clear()
  }

  /** Returns the holder's snapshot, from memory when a notification would have dropped a stale one. */
  async get(participantId: string): Promise<HolderSnapshot> {
    if (!this.#subscription?.listening) return this.#load(participantId)
    const cached = this.#cache.get(participantId)
    if (cached !== undefined) return cached

    // Stored at once, so a notification that arrives while the queries run deletes it.
    const loading = this.#load(participantId)
    this.#cache.set(participantId, loading)
    loading.catch(() => {
      if (this.#cache.get(participantId) === loading) this.#cache.delete(participantId)
    })
    return loading
  }

  async #load(participantId: string): Promise<HolderSnapshot> {
    const [credentials, rules] = await Promise.all([
      listIssuedCredentials(this.#db, participantId),
      listVerifierRules(this.#db, participantId),
    ])
    return { credentials, rules }
  }
}
