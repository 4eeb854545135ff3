import * as parse from './parsers.js'
import { variable, type SectionReader } from './variable.js'

/** `format` written into each CredentialContainer the Issuer Service delivers. */
export type ContainerFormatSetting = 'profile' | 'VC1_0_JWT' | 'jwt'

/** Variables of the Issuer Service: request rules, delivery and status lists. */
export const issuerVariables = {
  ISSUER_CONTAINER_FORMAT: variable({
    parse: parse.oneOf<ContainerFormatSetting>(['profile', 'VC1_0_JWT', 'jwt']),
    default: 'profile' as ContainerFormatSetting,
    unit: 'profile, VC1_0_JWT or jwt',
    description:
      'format of each credential container in delivered CredentialMessages. profile writes the credential profile (vc11-sl2021/jwt or vc20-bssl/jwt), as DCP 1.0 holders and TCK 1.0.2 expect; the DCP TCK 1.0.0-RC6 holder accepts only VC1_0_JWT. Data Integrity credentials (vc20-bssl/json-ld) always go as json-ld.',
  }),
  ISSUER_ALLOW_REPEATED_HOLDER_PID: variable({
    parse: parse.boolean,
    default: false,
    unit: 'boolean',
    description:
      'Accept a credential request whose holderPid the same holder already used. Off: such a request gets 409. The DCP TCK sends every request with one holderPid, so its runs need true.',
  }),
  ISSUER_ALLOW_UNKNOWN_HOLDERS: variable({
    parse: parse.boolean,
    default: false,
    unit: 'boolean',
    description:
      'Accept credential requests from authenticated holders that are not in the holders registry; they have no attributes. Off: such requests get 401.',
  }),
  ISSUER_DELIVERY_INTERVAL_MS: variable({
    parse: parse.integer(100, 60_000),
    default: 1000,
    unit: 'milliseconds',
    description: 'How often each replica looks for due credential deliveries; new issuances are delivered at once.',
  }),
  ISSUER_DELIVERY_TIMEOUT_MS: variable({
    parse: parse.integer(100, 60_000),
    default: 10_000,
    unit: 'milliseconds',
    description: "Time limit of one delivery to a holder's Credential Service, DNS lookup included.",
  }),
  ISSUER_DELIVERY_MAX_ATTEMPTS: variable({
    parse: parse.integer(1, 100),
    default: 8,
    unit: 'attempts',
    description: 'Delivery attempts before a delivery is dead; the admin API can retry a dead delivery.',
  }),
  ISSUER_DELIVERY_BACKOFF_SECONDS: variable({
    parse: parse.integer(1, 3600),
    default: 5,
    unit: 'seconds',
    description: 'Delay before the first retry; each further retry doubles it, with up to 50 % random jitter added.',
  }),
  ISSUER_DELIVERY_MAX_BACKOFF_SECONDS: variable({
    parse: parse.integer(1, 86_400),
    default: 3600,
    unit: 'seconds',
    description: 'Maximum delay between two delivery attempts.',
  }),
  STATUS_LIST_SIZE: variable({
    parse: parse.integer(131_072, 16 * 1024 * 1024),
    default: 131_072,
    unit: 'entries',
    description: 'Entries of each new status list; a multiple of 8. The Bitstring Status List minimum is 131,072.',
  }),
  STATUS_LIST_TTL_SECONDS: variable({
    parse: parse.integer(300, 90 * 86_400),
    default: 86_400,
    unit: 'seconds',
    description:
      'Validity of a signed status list credential. It is signed again when a bit changes and when less than a quarter of this time remains.',
  }),
} as const

export interface IssuerConfig {
  containerFormat: ContainerFormatSetting
  allowRepeatedHolderPid: boolean
  allowUnknownHolders: boolean
  delivery: {
    intervalMs: number
    timeoutMs: number
    maxAttempts: number
    backoffSeconds: number
    maxBackoffSeconds: number
  }
  statusList: { size: number; ttlSeconds: number }
}

export function readIssuerConfig(read: SectionReader<typeof issuerVariables>, problems: string[]): IssuerConfig {
  const size = read('STATUS_LIST_SIZE') ?? 131_072
  if (size % 8 !== 0) problems.push(`STATUS_LIST_SIZE: ${size} is not a multiple of 8`)
  return {
    containerFormat: read('ISSUER_CONTAINER_FORMAT') ?? 'profile',
    allowRepeatedHolderPid: read('ISSUER_ALLOW_REPEATED_HOLDER_PID') ?? false,
    allowUnknownHolders: read('ISSUER_ALLOW_UNKNOWN_HOLDERS') ?? false,
    delivery: {
      intervalMs: read('ISSUER_DELIVERY_INTERVAL_MS') ?? 1000,
      timeoutMs: read('ISSUER_DELIVERY_TIMEOUT_MS') ?? 10_000,
      maxAttempts: read('ISSUER_DELIVERY_MAX_ATTEMPTS') ?? 8,
      backoffSeconds: read('ISSUER_DELIVERY_BACKOFF_SECONDS') ?? 5,
      maxBackoffSeconds: read('ISSUER_DELIVERY_MAX_BACKOFF_SECONDS') ?? 3600,
    },
    statusList: { size, ttlSeconds: read('STATUS_LIST_TTL_SECONDS') ?? 86_400 },
  }
}
