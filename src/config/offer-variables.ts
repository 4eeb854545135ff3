import * as parse from './parsers.js'
import { variable, type SectionReader } from './variable.js'

/** Variables of the background completion of credential offers. */
export const offerVariables = {
  OFFER_COMPLETION_INTERVAL_SECONDS: variable({
    parse: parse.integer(0, 3600),
    default: 5,
    unit: 'seconds',
    description:
      "Interval between runs that complete sparse credential offers from the issuer's metadata; each offer gets 3 attempts. 0 turns completion off.",
  }),
} as const

export interface OfferConfig {
  completionIntervalSeconds: number
}

export function readOfferConfig(read: SectionReader<typeof offerVariables>): OfferConfig {
  return { completionIntervalSeconds: read('OFFER_COMPLETION_INTERVAL_SECONDS') ?? 5 }
}
