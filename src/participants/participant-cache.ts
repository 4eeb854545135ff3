import { ExpiringCache } from '../keys/expiring-cache.js'
import type { Queryable } from '../storage/database.js'
import { findParticipant } from '../storage/participant-repository.js'
import type { Participant } from './participant.js'

/**
 * Participants looked up by id on the DCP hot path, cached for `ttlSeconds`. Changes made in this
 * process call `forget`; another replica's change shows within the TTL.
 */
export class ParticipantCache {
  readonly #db: Queryable
  readonly #entries: ExpiringCache<string, Participant | null>

  constructor(db: Queryable, ttlSeconds: number) {
    this.#db = db
    this.#entries = new ExpiringCache({ ttlMs: ttlSeconds * 1000, maxEntries: 10_000 })
  }

  async find(id: string): Promise<Participant | undefined> {
    const cached = this.#entries.get(id)
    if (cached !== undefined) return cached ?? undefined
    const participant = await findParticipant(this.#db, id)
    this.#entries.set(id, participant ?? null)
    return participant
  }

  forget(): void {
    this.#entries.clear()
  }
}
