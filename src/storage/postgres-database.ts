import pg from 'pg'
import type { Database, NotificationHandlers, PoolStats, Queryable, QueryOptions, QueryResult, Row, Subscription } from './database.js'
import { PostgresListener } from './postgres-listener.js'

// timestamptz and jsonb are parsed by pg already; bigint (int8) stays a string unless set here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

export interface PostgresOptions {
  url: string
  poolMax: number
  /** Time a query may wait for a free connection. */
  connectionTimeoutMs?: number
}

export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const
  readonly #pool: pg.Pool
  readonly #url: string

  constructor(options: PostgresOptions) {
    this.#url = options.url
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolMax,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
    })
    // An idle client that loses its connection emits here; without a listener the process exits.
    this.#pool.on('error', () => {})
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<QueryResult<R>> {
    let result: pg.QueryResult<R>
    try {
      result = await this.#pool.query<R>(statement(sql, params, options))
    } catch (error) {
      // A migration that changes the result type of a prepared statement makes its next run on
      // each connection fail with SQLSTATE 0A000; PostgreSQL plans it again for the run after.
      if (options?.statementName === undefined || (error as { code?: unknown }).code !== '0A000') throw error
      result = await this.#pool.query<R>(statement(sql, params))
    }
    return { rows: result.rows, rowCount: result.rowCount ?? 0 }
  }

  async exec(sql: string): Promise<void> {
    await this.#pool.query(sql)
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect()
    const tx: Queryable = {
      async query<R extends Row = Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions) {
        const result = await client.query<R>(statement(sql, params, options))
        return { rows: result.rows, rowCount: result.rowCount ?? 0 }
      },
      async exec(sql: string) {
        await client.query(sql)
      },
    }
    let broken = false
    try {
      await client.query('BEGIN')
      const result = await work(tx)
      await client.query('COMMIT')
      return result
    } catch (error) {
      try {
        await client.query('ROLLBACK')
      } catch {
        broken = true
      }
      throw error
    } finally {
      client.release(broken)
    }
  }

  poolStats(): PoolStats {
    return { total: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount }
  }

  async listen(channel: string, handlers: NotificationHandlers): Promise<Subscription> {
    const listener = new PostgresListener(this.#url, channel, handlers)
    await listener.start()
    return listener
  }

  async close(): Promise<void> {
    await this.#pool.end()
  }
}

/** Builds pg's query config: a named one makes pg prepare the statement once per connection. */
function statement(sql: string, params: readonly unknown[], options?: QueryOptions): pg.QueryConfig {
  const values = params as unknown[]
  return options?.statementName === undefined ? { text: sql, values } : { name: options.statementName, text: sql, values }
}
