import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import type { Database, NotificationHandlers, PoolStats, Queryable, QueryResult, Row, Subscription } from './database.js'
import { lockDataFolder } from './data-folder-lock.js'

/**
 * PostgreSQL compiled to WebAssembly, running in this process over a data folder. It has one
 * session, so queries and transactions queue behind each other.
 */
export class EmbeddedDatabase implements Database {
  readonly kind = 'embedded' as const
  readonly #db: PGlite
  readonly #unlock: () => void
  #pending = 0

  private constructor(db: PGlite, unlock: () => void) {
    this.#db = db
    this.#unlock = unlock
  }

  /**
   * Opens the database under `dataDir`, or in memory when `dataDir` is undefined. A folder that
   * another live process has open raises `DataFolderInUseError`.
   */
  static async open(dataDir?: string): Promise<EmbeddedDatabase> {
    if (dataDir === undefined) return new EmbeddedDatabase(await PGlite.create(), () => {})
    mkdirSync(dataDir, { recursive: true })
    const unlock = lockDataFolder(dataDir)
    try {
      return new EmbeddedDatabase(await PGlite.create({ dataDir }), unlock)
    } catch (error) {
      unlock()
      throw error
    }
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return this.#track(async () => toResult(await this.#db.query<R>(sql, params as unknown[])))
  }

  async exec(sql: string): Promise<void> {
    await this.#track(() => this.#db.exec(sql))
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#track(() =>
      this.#db.transaction(async (transaction) => {
        const tx: Queryable = {
          async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []) {
            return toResult(await transaction.query<R>(sql, params as unknown[]))
          },
          async exec(sql: string) {
            await transaction.exec(sql)
          },
        }
        return work(tx)
      }),
    )
  }

  poolStats(): PoolStats {
    return { total: 1, idle: this.#pending === 0 ? 1 : 0, waiting: Math.max(0, this.#pending - 1) }
  }

  /** Listens in this process: no other process can open the data folder, so nothing is missed. */
  async listen(channel: string, handlers: NotificationHandlers): Promise<Subscription> {
    const unlisten = await this.#db.listen(channel, (payload) => handlers.notify(payload))
    const db = this.#db
    let listening = true
    return {
      get listening() {
        return listening
      },
      async close() {
        if (!listening) return
        listening = false
        if (!db.closed) await unlisten()
      },
    }
  }

  async close(): Promise<void> {
    if (!this.#db.closed) await this.#db.close()
    this.#unlock()
  }

  async #track<T>(work: () => Promise<T>): Promise<T> {
    this.#pending += 1
    try {
      return await work()
    } finally {
      this.#pending -= 1
    }
  }
}

function toResult<R extends Row>(result: { rows: R[]; affectedRows?: number }): QueryResult<R> {
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length }
}
