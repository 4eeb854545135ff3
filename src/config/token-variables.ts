import * as parse from './parsers.js'
import { variable, type SectionReader } from './variable.js'

/** Variables of the tokens this service mints and checks. */
export const tokenVariables = {
  TOKEN_CLOCK_LEEWAY_SECONDS: variable({
    parse: parse.integer(0, 59),
    default: 5,
    unit: 'seconds',
    description:
      'Clock skew tolerated when checking exp, iat and nbf of incoming tokens. Kept under 60 s, so a token issued a minute ahead is refused.',
  }),
  SI_TOKEN_TTL_SECONDS: variable({
    parse: parse.integer(10, 3600),
    default: 300,
    unit: 'seconds',
    description: 'Lifetime of the Self-Issued ID tokens the STS mints.',
  }),
  ACCESS_TOKEN_TTL_SECONDS: variable({
    parse: parse.integer(10, 86_400),
    default: 300,
    unit: 'seconds',
    description: 'Lifetime of the access tokens the STS mints for bearer_access_scope.',
  }),
  PRESENTATION_TTL_SECONDS: variable({
    parse: parse.integer(10, 3600),
    default: 60,
    unit: 'seconds',
    description: 'Lifetime of the verifiable presentations the Credential Service signs.',
  }),
} as const

export interface TokenConfig {
  clockLeewaySeconds: number
  selfIssuedTokenTtlSeconds: number
  accessTokenTtlSeconds: number
  presentationTtlSeconds: number
}

export function readTokenConfig(read: SectionReader<typeof tokenVariables>): TokenConfig {
  return {
    clockLeewaySeconds: read('TOKEN_CLOCK_LEEWAY_SECONDS') ?? 5,
    selfIssuedTokenTtlSeconds: read('SI_TOKEN_TTL_SECONDS') ?? 300,
    accessTokenTtlSeconds: read('ACCESS_TOKEN_TTL_SECONDS') ?? 300,
    presentationTtlSeconds: read('PRESENTATION_TTL_SECONDS') ?? 60,
  }
}
