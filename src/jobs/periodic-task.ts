import type { Logger } from '../observability/logger.js'

export interface PeriodicTaskOptions {
  name: string
  intervalMs: number
  run: () => Promise<void>
  logger: Logger
}

/**
 * Runs `run` every `intervalMs`, never two runs at once. `stop()` cancels the next run and waits
 * for the current one, so shutdown drains background work as it drains requests.
 */
export class PeriodicTask {
  readonly #options: PeriodicTaskOptions
  #timer: NodeJS.Timeout | undefined
  #current: Promise<void> | undefined
  #stopped = false

  constructor(options: PeriodicTaskOptions) {
    this.#options = options
  }

  start(): void {
    this.#schedule()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#current
  }

  #schedule(): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      this.#current = this.#runOnce().finally(() => {
        this.#current = undefined
        this.#schedule()
      })
    }, this.#options.intervalMs)
    // A pending run must not keep the process alive after the listeners closed.
    this.#timer.unref()
  }

  async #runOnce(): Promise<void> {
    const { name, run, logger } = this.#options
    try {
      await run()
    } catch (error) {
      logger.error({ err: error, task: name }, 'background task failed; retrying at the next interval')
    }
  }
}
