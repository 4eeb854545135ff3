import type { JWTPayload, ProtectedHeaderParameters } from 'jose'
import { acceptedAlgorithms, decodeJsonObjectPart } from '../keys/jws-public-key.js'
import { TokenError } from './token-error.js'

export interface DecodedJwt {
  header: ProtectedHeaderParameters & { alg: string }
  payload: JWTPayload
}

/**
 * Decodes a compact JWS without verifying it. `tokenName` names the token in messages, such as
 * "the access token".
 */
export function decodeJwtParts(token: string, tokenName: string): DecodedJwt {
  const header = compactJws.test(token) ? decodeJsonObjectPart(token.slice(0, token.indexOf('.'))) : undefined
  const payload = header === undefined ? undefined : decodeJsonObjectPart(token.slice(token.indexOf('.') + 1, token.lastIndexOf('.')))
  if (header === undefined || payload === undefined) {
    throw new TokenError('ERR_TOKEN_MALFORMED', `${tokenName} is not a compact JWS with JSON header and claims`)
  }
  const alg = header.alg
  if (typeof alg !== 'string' || !acceptedAlgorithms.includes(alg)) {
    throw new TokenError('ERR_TOKEN_ALGORITHM_UNSUPPORTED', `${tokenName} is signed with unsupported "alg" ${JSON.stringify(alg)}`)
  }
  if (header.kid !== undefined && typeof header.kid !== 'string') {
    throw new TokenError('ERR_TOKEN_MALFORMED', `${tokenName} has a "kid" header that is not a string`)
  }
  return { header: { ...header, alg }, payload }
}

/** Three base64url parts; Node's decoder skips other characters instead of failing. */
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

export function audienceContains(aud: JWTPayload['aud'], expected: string): boolean {
  return Array.isArray(aud) ? aud.includes(expected) : aud === expected
}

export function requireStringClaim(payload: JWTPayload, claim: 'iss' | 'sub' | 'jti', tokenName: string): string {
  const value = payload[claim]
  if (value === undefined) throw new TokenError('ERR_TOKEN_CLAIM_MISSING', `${tokenName} has no "${claim}" claim`)
  if (typeof value !== 'string' || value === '') {
    throw new TokenError('ERR_TOKEN_MALFORMED', `${tokenName} has a "${claim}" claim that is not a non-empty string`)
  }
  return value
}
