import type { FastifyBaseLogger } from 'fastify'
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino'

type LogMethod = (...args: unknown[]) => void

/**
 * Creates the per-request child logger of Fastify on the first record at an enabled level instead
 * of for every request. A pino child with redaction took 3 to 4 % of an STS request in a profile,
 * and at LOG_LEVEL warn or above a request that succeeds writes no record.
 */
export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  const parent = logger as Logger
  // A route's own logLevel arrives in the options; the parent's level would decide wrongly then.
  if (options.level !== undefined) return parent.child(bindings, options) as FastifyBaseLogger
  return new LazyChildLogger(parent, bindings, options) as unknown as FastifyBaseLogger
}

/**
 * A logger that replaces a pino child until the first record is written. Its methods are on the
 * prototype, so each request allocates one small object instead of a closure per level.
 */
class LazyChildLogger {
  readonly #parent: Logger
  readonly #bindings: Bindings
  readonly #options: ChildLoggerOptions
  #child: Logger | undefined

  constructor(parent: Logger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  get level(): string {
    return this.#child?.level ?? this.#parent.level
  }

  set level(level: string) {
    this.#real().level = level
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.#real().child(bindings, options)
  }

  silent(): void {}

  fatal(...args: unknown[]): void {
    this.#write('fatal', args)
  }

  error(...args: unknown[]): void {
    this.#write('error', args)
  }

  warn(...args: unknown[]): void {
    this.#write('warn', args)
  }

  info(...args: unknown[]): void {
    this.#write('info', args)
  }

  debug(...args: unknown[]): void {
    this.#write('debug', args)
  }

  trace(...args: unknown[]): void {
    this.#write('trace', args)
  }

  #write(level: Level, args: unknown[]): void {
    if (this.#child === undefined && !this.#parent.isLevelEnabled(level)) return
    const child = this.#real()
    const log = child[level] as LogMethod
    log.apply(child, args)
  }

  #real(): Logger {
    return (this.#child ??= this.#parent.child(this.#bindings, this.#options))
  }
}
