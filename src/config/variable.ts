import type { Parser } from './parsers.js'

/**
 * One environment variable: its parser, default and the text of the README table.
 * A variable without a default is optional and absent from the config when unset.
 */
export interface Variable<T> {
  readonly parse: Parser<T>
  readonly default?: T
  readonly description: string
  /** Unit or form shown in the README, such as "seconds" or "URL". */
  readonly unit: string
  /** Whether the value is secret, so that no message echoes it. */
  readonly secret?: boolean
}

export function variable<T>(spec: Variable<T>): Variable<T> {
  return spec
}

export type ValueOfVariable<V> = V extends Variable<infer T> ? T : never

/** Reads one variable of a section: its parsed value, its default, or undefined. */
export type SectionReader<V> = <N extends keyof V>(name: N) => ValueOfVariable<V[N]> | undefined
