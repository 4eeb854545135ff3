import type { SectionReader } from './variable.js'

/** Variables of key custody: master key, AWS KMS client and KMS key settings. */
export const keyVariables = {} as const

export type KeyConfig = Record<string, never>

export function readKeyConfig(_read: SectionReader<typeof keyVariables>, _problems: string[]): KeyConfig {
  return {}
}
