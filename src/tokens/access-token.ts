import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import type { JWTPayload } from 'jose'
import { parseScope, type Scope } from '../dcp/scope.js'
import { compactJws, decodeJsonObjectPart, encodeJsonPart } from '../keys/jws-public-key.js'
import type { AccessTokenKeys } from './access-token-keys.js'
import { audienceContains } from './decode-jwt.js'
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
 * Mints an access token: a JWT MACed with HS256 under the holder's access token key, issued by
 * and addressed to the holder itself, with the verifier as `sub` and the granted scopes in
 * `scope`. Only this service has the key, so only the holder's Credential Service accepts it,
 * and minting it needs neither a KMS call nor a signature.
 */
export async function mintAccessToken(
  keys: AccessTokenKeys,
  participantId: string,
  grant: AccessTokenGrant,
  options: MintAccessTokenOptions,
): Promise<string> {
  const key = await keys.current(participantId)
  const payload: JWTPayload = {
    iss: grant.holderDid,
    sub: grant.verifierDid,
    aud: grant.holderDid,
    scope: grant.scopes.join(' '),
    jti: randomUUID(),
    iat: options.nowSeconds,
    exp: options.nowSeconds + options.ttlSeconds,
  }
  const signingInput = `${encodeJsonPart({ alg: macAlgorithm, typ: 'JWT', kid: key.id })}.${encodeJsonPart(payload)}`
  return `${signingInput}.${mac(key.secret, signingInput)}`
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
 * Checks an access token received in the `token` claim of a verifier's SI token. It must carry the
 * MAC of a current access token key of this holder, be issued by and addressed to this holder, be
 * unexpired, and be bound to the DID that now presents it.
 */
export async function verifyAccessToken(
  keys: AccessTokenKeys,
  token: string | undefined,
  check: AccessTokenCheck,
): Promise<VerifiedAccessToken> {
  if (token === undefined || token === '') {
    throw new TokenError('ERR_ACCESS_TOKEN_INVALID', 'the Self-Issued ID token carries no access token in "token"')
  }
  const { header, payload } = decodeAccessToken(token)
  // The MAC comes first, so no claim of a token this service did not mint is acted on.
  await verifyMac(keys, token, header, check.participantId)
  checkMintedBy(payload, check.holderDid)
  checkBoundTo(payload, check.presenterDid)
  checkAccessTokenTimes(payload, check.nowSeconds, check.leewaySeconds)
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

export interface DecodedAccessToken {
  header: { alg: string; kid: string }
  payload: JWTPayload
}

/** Decodes an access token's header and claims. The header must name HS256 and a key id. */
export function decodeAccessToken(token: string): DecodedAccessToken {
  const header = compactJws.test(token) ? decodeJsonObjectPart(token.slice(0, token.indexOf('.'))) : undefined
  const payload = header === undefined ? undefined : decodeJsonObjectPart(token.slice(token.indexOf('.') + 1, token.lastIndexOf('.')))
  if (header === undefined || payload === undefined || header.alg !== macAlgorithm || typeof header.kid !== 'string' || header.crit !== undefined) {
    throw new TokenError('ERR_ACCESS_TOKEN_INVALID', `${tokenName} is not a token this participant minted`)
  }
  return { header: { alg: header.alg, kid: header.kid }, payload }
}

/** Checks the access token's MAC with the participant's key that its `kid` names. */
export async function verifyMac(keys: AccessTokenKeys, token: string, header: { kid: string }, participantId: string): Promise<void> {
  const key = await keys.find(participantId, header.kid)
  const signingInput = token.slice(0, token.lastIndexOf('.'))
  const received = Buffer.from(token.slice(signingInput.length + 1), 'latin1')
  const expected = key === undefined ? undefined : Buffer.from(mac(key.secret, signingInput), 'latin1')
  // Compared as base64url text, so a MAC with a second spelling of its last character fails too.
  if (expected === undefined || received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw new TokenError('ERR_ACCESS_TOKEN_INVALID', `${tokenName} is not MACed with a current key of this participant`)
  }
}

const macAlgorithm = 'HS256'

function mac(secret: Buffer, signingInput: string): string {
  return createHmac('sha256', secret).update(signingInput, 'latin1').digest('base64url')
}
