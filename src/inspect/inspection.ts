import { AppError } from '../errors/app-error.js'

/** One rule applied to the inspected input, with the reason when it failed. */
export interface CheckResult {
  name: string
  ok: boolean
  detail: string
}

/** Result of `inspect`: the kind of input, every check, and the decoded content. */
export interface Inspection {
  kind: InspectedKind
  ok: boolean
  checks: CheckResult[]
  /** Checks that could not run for lack of an option or a database, and why. */
  notes: string[]
  decoded: Record<string, unknown>
}

export type InspectedKind =
  | 'self-issued-token'
  | 'access-token'
  | 'presentation'
  | 'credential'
  | 'did-document'
  | 'status-list'
  | 'unknown'

/**
 * Collects check results. `run` records a check as passed when its function returns and as
 * failed with the error message when it throws an `AppError`. Other errors are programming or
 * infrastructure failures and propagate.
 */
export class CheckList {
  readonly checks: CheckResult[] = []
  readonly notes: string[] = []
  readonly #prefix: string

  constructor(prefix = '') {
    this.#prefix = prefix
  }

  /** Runs one check and returns its value, or undefined when it failed. */
  async run<T>(name: string, check: () => T | Promise<T>, passed?: (value: T) => string): Promise<T | undefined> {
    try {
      const value = await check()
      this.pass(name, passed?.(value) ?? '')
      return value
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      this.fail(name, error.message)
      return undefined
    }
  }

  pass(name: string, detail = ''): void {
    this.checks.push({ name: `${this.#prefix}${name}`, ok: true, detail })
  }

  fail(name: string, detail: string): void {
    this.checks.push({ name: `${this.#prefix}${name}`, ok: false, detail })
  }

  note(text: string): void {
    this.notes.push(`${this.#prefix}${text}`)
  }

  /** Adds the checks and notes of a nested inspection, such as a credential inside a presentation. */
  include(nested: Inspection): void {
    this.checks.push(...nested.checks)
    this.notes.push(...nested.notes)
  }

  /** Whether every check recorded so far passed. */
  get ok(): boolean {
    return this.checks.every((check) => check.ok)
  }

  toInspection(kind: InspectedKind, decoded: Record<string, unknown>): Inspection {
    return { kind, ok: this.ok, checks: this.checks, notes: this.notes, decoded }
  }
}
