import { threadPoolSize } from '../config/thread-pool-size.js'

/**
 * Counts the threads of libuv's pool that slow work holds, where that work cannot be cancelled
 * and may wait seconds: getaddrinfo waiting for a name server is the one case here. A signature
 * queued on the pool while every thread is held waits until one lets go, so a signer checks
 * `saturated` and signs on the event loop instead.
 */
export class ThreadPoolHolds {
  readonly size: number
  #held = 0

  constructor(size: number) {
    this.size = size
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

  /** True while slow work may hold every thread, queued or running. */
  get saturated(): boolean {
    return this.#held >= this.size
  }
}

/** The pool of this process, sized as libuv reads UV_THREADPOOL_SIZE at start. */
export const threadPool = new ThreadPoolHolds(threadPoolSize())
