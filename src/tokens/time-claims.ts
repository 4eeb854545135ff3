import type { JWTPayload } from 'jose'
import { TokenError } from './token-error.js'

/**
 * Checks `exp` (required, not passed), `iat` (required, not in the future) and `nbf` (not in the
 * future), each with `leewaySeconds` of clock skew.
 */
export function checkTimeClaims(payload: JWTPayload, nowSeconds: number, leewaySeconds: number, tokenName: string): void {
  const { exp, iat, nbf } = payload
  if (typeof exp !== 'number') throw new TokenError('ERR_TOKEN_CLAIM_MISSING', `${tokenName} has no numeric "exp" claim`)
  if (typeof iat !== 'number') throw new TokenError('ERR_TOKEN_CLAIM_MISSING', `${tokenName} has no numeric "iat" claim`)

  if (exp <= nowSeconds - leewaySeconds) {
    throw new TokenError('ERR_TOKEN_EXPIRED', `${tokenName} expired at ${isoTime(exp)}`)
  }
  if (iat > nowSeconds + leewaySeconds) {
    throw new TokenError('ERR_TOKEN_NOT_YET_VALID', `${tokenName} is issued in the future ("iat" ${isoTime(iat)})`)
  }
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSeconds + leewaySeconds)) {
    throw new TokenError('ERR_TOKEN_NOT_YET_VALID', `${tokenName} is not valid before ${typeof nbf === 'number' ? isoTime(nbf) : '"nbf"'}`)
  }
}

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}
