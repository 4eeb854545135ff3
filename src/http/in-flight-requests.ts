import type { FastifyInstance, FastifyRequest } from 'fastify'

/**
 * Counts requests whose handlers still run. Fastify's close resolves once the sockets are closed,
 * and a handler whose client hung up keeps running after that, so shutdown waits on this count
 * before it closes the database under such a handler.
 */
export class InFlightRequests {
  readonly #running = new WeakSet<FastifyRequest>()
  #count = 0
  #waiters: Array<() => void> = []

  get count(): number {
    return this.#count
  }

  /** Adds the hooks that count the requests of `app`. */
  track(app: FastifyInstance): void {
    // Callback hooks: an async hook costs a promise and a microtask on every request.
    app.addHook('onRequest', (request, _reply, done) => {
      this.#running.add(request)
      this.#count += 1
      done()
    })
    // onSend runs when the handler or the error handler replies, also for a client that hung up.
    // onResponse covers replies sent without it.
    app.addHook('onSend', (request, _reply, payload, done) => {
      this.#finish(request)
      done(null, payload)
    })
    app.addHook('onResponse', (request, _reply, done) => {
      this.#finish(request)
      done()
    })
  }

  /** Resolves to true once no request runs, or to false after `timeoutMs`. */
  async idle(timeoutMs: number): Promise<boolean> {
    if (this.#count === 0) return true
    let timer: NodeJS.Timeout | undefined
    const idle = new Promise<boolean>((resolve) => this.#waiters.push(() => resolve(true)))
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    const result = await Promise.race([idle, timedOut])
    clearTimeout(timer)
    return result
  }

  #finish(request: FastifyRequest): void {
    if (!this.#running.delete(request)) return
    this.#count -= 1
    if (this.#count > 0) return
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }
}
