import { randomUUID } from 'node:crypto'
import type { JWTPayload } from 'jose'
import { parseScope, type Scope } from '../dcp/scope.js'
import { jwsSignatureVerifies } from '../keys/jws-public-key.js'
import type { KeyManager } from '../keys/key-manager.js'
import { signJwt } from '../keys/sign-jwt.js'
import { audienceContains, decodeJwtParts } from './decode-jwt.js'
import type { OwnVerificationKeys } from './own-verification-keys.js'
import { checkTimeClaims } from './time-claims.js'
import { TokenError } from './token-error.js'

/** Grant of an access token: the verifier that may present it and the scopes it may query. */
export interface AccessTokenGrant {
  /** DID of the participant whose wallet minted the token and will check it. */
  holderDid: string
  /** DID of the verifier the token is bound to: the audience of the SI token that carries it. */
  verifierDid: string
  scopes: string[]
}

export interface MintAccessTokenOptions {
  ttlSeconds: number
  nowSeconds: number
}

/**
 * Mints an access token: a JWT signed with the holder's `sign_token` key, issued by and
 * addressed to the holder itself, so that only the holder's Credential Service accepts it, with
 * the verifier as `sub` and the granted scopes in `scope`.
 */
export async function mintAccessToken(
  keyManager: KeyManager,
  grant: AccessTokenGrant,
  options: MintAccessTokenOptions,
): Promise<string> {
  const payload: JWTPayload = {
    iss: grant.holderDid,
    sub: grant.verifierDid,
    aud: grant.holderDid,
    scope: grant.scopes.join(' '),
    jti: randomUUID(),
    iat: options.nowSeconds,
    exp: options.nowSeconds + options.ttlSeconds,
  }
  return signJwt(keyManager, grant.holderDid, 'sign_token', { typ: 'JWT' }, payload)
}

/** The scopes a verified access token grants. */
export interface VerifiedAccessToken {
  scopes: Scope[]
  jti: string | undefined
}

export interface AccessTokenCheck {
  participantId: string
  holderDid: string
  /** DID that presents the token: the `iss` of the SI token carrying it. */
  presenterDid: string
  nowSeconds: number
  leewaySeconds: number
}

/**
 * Checks an access token received in the `token` claim of a verifier's SI token: signed by a
 * non-revoked key of this holder, issued by and addressed to this holder, unexpired, and bound
 * to the DID that now presents it.
 */
export async function verifyAccessToken(
  ownKeys: OwnVerificationKeys,
  token: string | undefined,
  check: AccessTokenCheck,
): Promise<VerifiedAccessToken> {
  if (token === undefined || token === '') {
    throw new TokenError('ERR_ACCESS_TOKEN_INVALID', 'the Self-Issued ID token carries no access token in "token"')
  }
  const { header, payload } = decodeAccessToken(token)
  checkMintedBy(payload, check.holderDid)
  checkBoundTo(payload, check.presenterDid)
  checkAccessTokenTimes(payload, check.nowSeconds, check.leewaySeconds)
  await verifyWithOwnKey(ownKeys, token, header, check)
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []
  return {
    scopes: scopes.map(parseScope).filter((scope): scope is Scope => scope !== undefined),
    jti: typeof payload.jti === 'string' ? payload.jti : undefined,
  }
}

const tokenName = 'the access token'

/** Checks that the access token is issued by and addressed to the holder that checks it. */
export function checkMintedBy(payload: JWTPayload, holderDid: string): void {
  if (payload.iss !== holderDid || !audienceContains(payload.aud, holderDid)) {
    throw new TokenError('ERR_ACCESS_TOKEN_INVALID', `${tokenName} was not minted by ${JSON.stringify(holderDid)}`)
  }
}

/** Checks that the access token's `sub` is the DID that presents it. */
export function checkBoundTo(payload: JWTPayload, presenterDid: string): void {
  if (payload.sub !== presenterDid) {
    throw new TokenError('ERR_ACCESS_TOKEN_INVALID', `${tokenName} is bound to another DID than ${JSON.stringify(presenterDid)}`)
  }
}

/** Checks `exp`, `iat` and `nbf` of the access token and raises ERR_ACCESS_TOKEN_INVALID when one fails. */
export function checkAccessTokenTimes(payload: JWTPayload, nowSeconds: number, leewaySeconds: number): void {
  try {
    checkTimeClaims(payload, nowSeconds, leewaySeconds, tokenName)
  } catch (error) {
    throw new TokenError('ERR_ACCESS_TOKEN_INVALID', (error as Error).message)
  }
}

function decodeAccessToken(token: string) {
  try {
    return decodeJwtParts(token, 'the access token')
  } catch {
    throw new TokenError('ERR_ACCESS_TOKEN_INVALID', 'the access token is not a token this participant minted')
  }
}

/** Verifies the access token's signature with a current `sign_token` key of the holder, read from this service's key store. */
export async function verifyWithOwnKey(
  ownKeys: OwnVerificationKeys,
  token: string,
  header: { alg: string; kid?: string },
  check: Pick<AccessTokenCheck, 'participantId' | 'holderDid'>,
): Promise<void> {
  const prefix = `${check.holderDid}#`
  const fragment = header.kid?.startsWith(prefix) ? header.kid.slice(prefix.length) : undefined
  const key = fragment === undefined ? undefined : await ownKeys.find(check.participantId, fragment)
  try {
    if (!key || key.algorithm !== header.alg || !key.usages.includes('sign_token')) throw new Error('no such key')
    if (!jwsSignatureVerifies(token, key.key)) throw new Error('the signature does not verify')
  } catch {
    throw new TokenError('ERR_ACCESS_TOKEN_INVALID', 'the access token is not signed by a current key of this participant')
  }
}
