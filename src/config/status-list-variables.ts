import * as parse from './parsers.js'
import { variable, type SectionReader } from './variable.js'

/** Variables of the background check of held credentials against their status lists. */
export const statusListVariables = {
  STATUS_REFRESH_INTERVAL_SECONDS: variable({
    parse: parse.integer(0, 86_400),
    default: 300,
    unit: 'seconds',
    description:
      'Interval between checks of held credentials against their status lists, which mark them revoked or suspended; 0 turns the check off.',
  }),
  STATUS_REFRESH_BATCH_SIZE: variable({
    parse: parse.integer(1, 10_000),
    default: 200,
    unit: 'credentials',
    description: 'Credentials checked per interval, least recently checked first.',
  }),
  STATUS_LIST_CACHE_TTL_SECONDS: variable({
    parse: parse.integer(0, 86_400),
    default: 300,
    unit: 'seconds',
    description: 'How long a fetched and verified status list credential is reused before it is fetched again.',
  }),
  STATUS_LIST_MAX_BYTES: variable({
    parse: parse.integer(1024, 16 * 1024 * 1024),
    default: 1024 * 1024,
    unit: 'bytes',
    description:
      'Largest status list credential fetched; its decompressed list may be at most 16 times larger. Fetches follow the DID_WEB_HTTP_HOSTS and address rules of DID resolution.',
  }),
} as const

export interface StatusListConfig {
  refreshIntervalSeconds: number
  refreshBatchSize: number
  cacheTtlSeconds: number
  maxBytes: number
}

export function readStatusListConfig(read: SectionReader<typeof statusListVariables>): StatusListConfig {
  return {
    refreshIntervalSeconds: read('STATUS_REFRESH_INTERVAL_SECONDS') ?? 300,
    refreshBatchSize: read('STATUS_REFRESH_BATCH_SIZE') ?? 200,
    cacheTtlSeconds: read('STATUS_LIST_CACHE_TTL_SECONDS') ?? 300,
    maxBytes: read('STATUS_LIST_MAX_BYTES') ?? 1024 * 1024,
  }
}
