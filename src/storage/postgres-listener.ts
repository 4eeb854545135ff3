import pg from 'pg'
import type { NotificationHandlers, Subscription } from './database.js'

/** Pauses before opening a lost listening connection again: doubling from 0.5 s up to 30 s. */
const firstPauseMs = 500
const longestPauseMs = 30_000

/**
 * LISTEN on one channel over a connection of its own, outside the pool, because a pooled
 * connection is handed to other queries between uses. A lost connection is opened again after a
 * growing pause. Handlers hear `reset` at each change, since notifications sent meanwhile are lost.
 */
export class PostgresListener implements Subscription {
  readonly #url: string
  readonly #channel: string
  readonly #handlers: NotificationHandlers
  #client: pg.Client | undefined
  #listening = false
  #closed = false
  #pauseMs = firstPauseMs
  #timer: NodeJS.Timeout | undefined

  constructor(url: string, channel: string, handlers: NotificationHandlers) {
    this.#url = url
    this.#channel = channel
    this.#handlers = handlers
  }

  get listening(): boolean {
    return this.#listening
  }

  /** Opens the connection. A failure goes to the `error` handler and is retried instead of raised. */
  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url })
    this.#client = client
    client.on('notification', (message) => {
      if (message.channel === this.#channel) this.#handlers.notify(message.payload ?? '')
    })
    client.on('error', (error) => this.#lost(client, error))
    client.on('end', () => this.#lost(client, new Error('the listening connection closed')))
    try {
      await client.connect()
      await client.query(`LISTEN ${pg.escapeIdentifier(this.#channel)}`)
    } catch (error) {
      this.#lost(client, error as Error)
      return
    }
    if (this.#closed || this.#client !== client) return
    this.#listening = true
    this.#pauseMs = firstPauseMs
    this.#handlers.reset(true)
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#listening = false
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => {})
  }

  /** Handles the loss of `client` once, however many events report it. */
  #lost(client: pg.Client, error: Error): void {
    if (this.#closed || this.#client !== client) return
    this.#client = undefined
    this.#listening = false
    client.removeAllListeners('notification')
    client.on('error', () => {})
    client.end().catch(() => {})
    this.#handlers.error?.(error)
    this.#handlers.reset(false)
    // Unreferenced, so a pending retry never keeps a finished process alive.
    this.#timer = setTimeout(() => void this.start(), this.#pauseMs).unref()
    this.#pauseMs = Math.min(this.#pauseMs * 2, longestPauseMs)
  }
}
