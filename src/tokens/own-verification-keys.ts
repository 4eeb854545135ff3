import { importJwsPublicKey, type JwsPublicKey } from '../keys/jws-public-key.js'
import { ExpiringCache } from '../keys/expiring-cache.js'
import type { KeyManager } from '../keys/key-manager.js'
import type { KeyAlgorithm, KeyUsage } from '../keys/key.js'

/** A public key of a participant of this process, imported for signature checks. */
export interface OwnVerificationKey {
  fragment: string
  algorithm: KeyAlgorithm
  usages: KeyUsage[]
  key: JwsPublicKey
}

/**
 * The non-revoked public keys of this process's participants, imported once and cached for
 * `ttlSeconds`, so checking a token this process minted costs no database query in steady
 * state. A key revoked on another replica is still accepted here for at most the TTL.
 */
export class OwnVerificationKeys {
  readonly #keyManager: Pick<KeyManager, 'list'>
  readonly #cache: ExpiringCache<string, Promise<OwnVerificationKey[]>>

  /** `keyManager` needs only `list`, so a read-only key listing of the database also fits. */
  constructor(keyManager: Pick<KeyManager, 'list'>, ttlSeconds: number) {
    this.#keyManager = keyManager
    this.#cache = new ExpiringCache({ ttlMs: ttlSeconds * 1000, maxEntries: 10_000 })
  }

  async find(participantId: string, fragment: string): Promise<OwnVerificationKey | undefined> {
    let keys = this.#cache.get(participantId)
    if (keys === undefined) {
      keys = this.#load(participantId)
      this.#cache.set(participantId, keys)
      keys.catch(() => this.#cache.delete(participantId))
    }
    return (await keys).find((candidate) => candidate.fragment === fragment)
  }

  /** Drops cached keys after a rotation or revocation in this process. */
  forget(): void {
    this.#cache.clear()
  }

  async #load(participantId: string): Promise<OwnVerificationKey[]> {
    const keys = await this.#keyManager.list(participantId)
    return keys.map((key) => ({
      fragment: key.fragment,
      algorithm: key.algorithm,
      usages: key.usages,
      key: importJwsPublicKey(key.publicJwk as Record<string, unknown>, key.algorithm),
    }))
  }
}
