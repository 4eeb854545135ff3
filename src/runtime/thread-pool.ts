import { threadPoolSize } from '../config/thread-pool-size.js'

/** Time without a finished signature, while some wait, after which the pool counts as stalled. */
const stallMs = 50

/**
 * A watch over libuv's pool that shows a signer whether work queued now could wait seconds. DNS
 * lookups of this service occupy a thread each, since getaddrinfo cannot be cancelled and waits
 * for the name server. Tracked work that has stopped finishing shows that something else
 * occupies every thread, such as pg's lookup of the database host.
 */
export class ThreadPoolMonitor {
  readonly size: number
  readonly #now: () => number
  #held = 0
  #tracked = 0
  #lastProgress = 0

  constructor(size: number, now: () => number = () => performance.now()) {
    this.size = size
    this.#now = now
  }

  /** Runs `work`, which occupies one pool thread until its promise settles. */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.#held += 1
    try {
      return await work()
    } finally {
      this.#held -= 1
    }
  }

  /** Returns `work`, a job already queued on the pool, and notes when it finishes. */
  track<T>(work: Promise<T>): Promise<T> {
    if (this.#tracked === 0) this.#lastProgress = this.#now()
    this.#tracked += 1
    const finished = (): void => {
      this.#tracked -= 1
      this.#lastProgress = this.#now()
    }
    return work.then(
      (value) => {
        finished()
        return value
      },
      (error: unknown) => {
        finished()
        throw error
      },
    )
  }

  /** True while lookups may hold every thread, or while tracked work has not finished for a while. */
  get saturated(): boolean {
    if (this.#held >= this.size) return true
    return this.#tracked > 0 && this.#now() - this.#lastProgress > stallMs
  }
}

/** The pool of this process, sized as libuv reads UV_THREADPOOL_SIZE at start. */
export const threadPool = new ThreadPoolMonitor(threadPoolSize())
