import type { Queryable } from '../storage/database.js'
import type { TokenUse } from './jti-store.js'

interface PendingUse {
  use: TokenUse
  resolve: (firstUse: boolean) => void
  reject: (error: unknown) => void
}

/** Token ids recorded by one statement at most; larger sets wait for the next statement. */
const maxBatchSize = 200
/** Statements in flight at once; more uses wait and join the next statement. */
const maxConcurrentBatches = 2

/**
 * Records token ids as `recordTokenUse` does, but writes the ids that arrive while earlier
 * statements run in one multi-row INSERT. Under load, queries then share one round trip and one
 * commit. An idle service writes each id at once. The primary key still decides, so replicas that
 * share the database never both accept one id.
 */
export class TokenUseBatcher {
  readonly #db: Queryable
  #pending: PendingUse[] = []
  #running = 0
  #scheduled = false

  constructor(db: Queryable) {
    this.#db = db
  }

  /** Records a token id and resolves to false when this participant has seen it before, here or on another replica. */
  record(use: TokenUse): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ use, resolve, reject })
      this.#schedule()
    })
  }

  #schedule(): void {
    if (this.#scheduled || this.#running >= maxConcurrentBatches || this.#pending.length === 0) return
    this.#scheduled = true
    // After the current I/O callbacks, so the uses that reach this step together share a statement.
    setImmediate(() => {
      this.#scheduled = false
      void this.#flush()
    })
  }

  async #flush(): Promise<void> {
    if (this.#running >= maxConcurrentBatches || this.#pending.length === 0) return
    const batch = this.#pending.splice(0, maxBatchSize)
    this.#running += 1
    this.#schedule()
    try {
      await this.#write(batch)
    } finally {
      this.#running -= 1
      this.#schedule()
    }
  }

  async #write(batch: PendingUse[]): Promise<void> {
    // An id that occurs twice in one batch is written once; its later occurrences are replays.
    const firstOfKey = new Map<string, PendingUse>()
    const replays: PendingUse[] = []
    for (const pending of batch) {
      const key = keyOf(pending.use.participantId, pending.use.jti)
      if (firstOfKey.has(key)) replays.push(pending)
      else firstOfKey.set(key, pending)
    }
    for (const replay of replays) replay.resolve(false)

    const uses = [...firstOfKey.values()].map((pending) => pending.use)
    let inserted: Set<string>
    try {
      const result = await this.#db.query<{ participant_id: string; jti: string }>(
        // The EXISTS keeps the id of a participant deleted meanwhile from failing the whole batch.
        `INSERT INTO token_ids (participant_id, jti, issuer, expires_at)
         SELECT u.participant_id, u.jti, u.issuer, u.expires_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS u (participant_id, jti, issuer, expires_at)
         WHERE EXISTS (SELECT 1 FROM participants p WHERE p.id = u.participant_id)
         ON CONFLICT (participant_id, jti) DO NOTHING
         RETURNING participant_id, jti`,
        [
          uses.map((use) => use.participantId),
          uses.map((use) => use.jti),
          uses.map((use) => use.issuer),
          uses.map((use) => use.expiresAt),
        ],
        // Every presentation query waits for this statement. Prepared once per connection, it took
        // 0.4 ms instead of 0.6 to 0.7 ms on an idle machine, and the benchmark's median at half
        // load fell from about 3 ms to about 2 ms.
        { statementName: 'record_token_uses' },
      )
      inserted = new Set(result.rows.map((row) => keyOf(row.participant_id, row.jti)))
    } catch (error) {
      for (const pending of firstOfKey.values()) pending.reject(error)
      return
    }
    for (const [key, pending] of firstOfKey) pending.resolve(inserted.has(key))
  }
}

function keyOf(participantId: string, jti: string): string {
  return `${participantId}\u0000${jti}`
}
