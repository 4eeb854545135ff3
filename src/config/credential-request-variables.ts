import { duration } from './duration.js'
import * as parse from './parsers.js'
import { variable, type SectionReader } from './variable.js'

/** Variables of the credential requests a holder sends to issuers, and of credential renewal. */
export const credentialRequestVariables = {
  CREDENTIAL_REQUEST_INTERVAL_MS: variable({
    parse: parse.integer(50, 600_000),
    default: 2000,
    unit: 'milliseconds',
    description: 'How often each replica looks for credential requests that are due to be sent again or polled.',
  }),
  CREDENTIAL_REQUEST_TIMEOUT_MS: variable({
    parse: parse.integer(100, 120_000),
    default: 10_000,
    unit: 'milliseconds',
    description: "Time limit of each call to an issuer's Issuer Service: reading its metadata, sending a request, polling a status.",
  }),
  CREDENTIAL_REQUEST_MAX_ATTEMPTS: variable({
    parse: parse.integer(1, 100),
    default: 8,
    unit: 'attempts',
    description:
      'Failed send attempts, or polls without an answer, before a credential request is marked error; the admin API can retry it.',
  }),
  CREDENTIAL_REQUEST_BACKOFF_SECONDS: variable({
    parse: parse.integer(1, 3600),
    default: 5,
    unit: 'seconds',
    description: 'Delay before the first retry of a credential request; each further retry doubles it, with up to 50 % random jitter added.',
  }),
  CREDENTIAL_REQUEST_MAX_BACKOFF_SECONDS: variable({
    parse: parse.integer(1, 86_400),
    default: 3600,
    unit: 'seconds',
    description: 'Maximum delay between two attempts or polls of a credential request.',
  }),
  CREDENTIAL_REQUEST_POLL_AFTER_SECONDS: variable({
    parse: parse.integer(1, 604_800),
    default: 300,
    unit: 'seconds',
    description:
      "Time after an issuer accepted a request without delivering its credentials before the holder polls the request's status.",
  }),
  CREDENTIAL_RENEWAL_BEFORE: variable({
    parse: duration(365 * 86_400),
    default: 7 * 86_400,
    unit: 'duration: s, m, h or d',
    description:
      'How long before a stored credential that came from a credential request expires that a new one is requested from its issuer.',
  }),
  CREDENTIAL_RENEWAL_INTERVAL_SECONDS: variable({
    parse: parse.integer(0, 86_400),
    default: 300,
    unit: 'seconds',
    description: 'Interval between checks for credentials due for renewal; 0 turns renewal off.',
  }),
} as const

export interface CredentialRequestConfig {
  intervalMs: number
  timeoutMs: number
  maxAttempts: number
  backoffSeconds: number
  maxBackoffSeconds: number
  pollAfterSeconds: number
  renewal: { beforeSeconds: number; intervalSeconds: number }
}

export function readCredentialRequestConfig(read: SectionReader<typeof credentialRequestVariables>): CredentialRequestConfig {
  return {
    intervalMs: read('CREDENTIAL_REQUEST_INTERVAL_MS') ?? 2000,
    timeoutMs: read('CREDENTIAL_REQUEST_TIMEOUT_MS') ?? 10_000,
    maxAttempts: read('CREDENTIAL_REQUEST_MAX_ATTEMPTS') ?? 8,
    backoffSeconds: read('CREDENTIAL_REQUEST_BACKOFF_SECONDS') ?? 5,
    maxBackoffSeconds: read('CREDENTIAL_REQUEST_MAX_BACKOFF_SECONDS') ?? 3600,
    pollAfterSeconds: read('CREDENTIAL_REQUEST_POLL_AFTER_SECONDS') ?? 300,
    renewal: {
      beforeSeconds: read('CREDENTIAL_RENEWAL_BEFORE') ?? 7 * 86_400,
      intervalSeconds: read('CREDENTIAL_RENEWAL_INTERVAL_SECONDS') ?? 300,
    },
  }
}
