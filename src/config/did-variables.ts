import type { SectionReader } from './variable.js'

/** Variables of did:web resolution: http allow list, timeouts, size cap and cache. */
export const didVariables = {} as const

export type DidConfig = Record<string, never>

export function readDidConfig(_read: SectionReader<typeof didVariables>, _problems: string[]): DidConfig {
  return {}
}
