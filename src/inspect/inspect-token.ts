import type { JWTPayload } from 'jose'
import { purposeOf } from '../did/verification-method.js'
import { checkBoundTo, checkMintedBy, decodeAccessToken, verifyMac, type DecodedAccessToken } from '../tokens/access-token.js'
import { decodeJwtParts, requireStringClaim } from '../tokens/decode-jwt.js'
import { isTokenUsed } from '../tokens/jti-store.js'
import {
  checkAudience,
  checkDocumentIsSubject,
  checkIssuerIsSubject,
  optionalTokenClaim,
} from '../tokens/self-issued-token-verifier.js'
import { checkTimeClaims } from '../tokens/time-claims.js'
import { TokenError } from '../tokens/token-error.js'
import type { InspectContext } from './inspect-context.js'
import { inspectSignature } from './inspect-signature.js'
import { CheckList, type Inspection } from './inspection.js'
import { relativeTo } from './relative-time.js'

const siTokenName = 'the Self-Issued ID token'
const accessTokenName = 'the access token'

/**
 * Inspects a Self-Issued ID token with the rules of the service's SI token verifier, one check
 * per rule. A DCP access token in its `token` claim is inspected too, and any other value is
 * reported as an opaque foreign token.
 */
export async function inspectSelfIssuedToken(raw: string, context: InspectContext): Promise<Inspection> {
  const list = new CheckList()
  const decoded = await list.run('compact JWS', () => decodeJwtParts(raw, siTokenName), (jwt) => `alg ${jwt.header.alg}`)
  if (decoded === undefined) return list.toInspection('self-issued-token', {})
  const { header, payload } = decoded
  const result: Record<string, unknown> = { header, payload }

  const identity = await list.run('iss = sub', () => checkIssuerIsSubject(payload, siTokenName), ({ issuer }) => issuer)
  inspectAudience(list, payload, context, siTokenName)
  inspectTimes(list, payload, context, siTokenName)
  const jti = await list.run('jti', () => requireStringClaim(payload, 'jti', siTokenName), (value) => value)

  const signer = identity?.issuer ?? (typeof payload.iss === 'string' ? payload.iss : undefined)
  if (signer !== undefined) {
    const document = await inspectSignature(list, context, {
      raw,
      header,
      signerDid: signer,
      purpose: purposeOf.siToken,
      tokenName: siTokenName,
    })
    if (document !== undefined && identity !== undefined) {
      await list.run('DID document is sub', () => checkDocumentIsSubject(document.id, identity.subject, siTokenName))
    }
  }
  await inspectReplay(list, context, jti)

  const embedded = await list.run('token claim', () => optionalTokenClaim(payload, siTokenName), (value) =>
    value === undefined ? 'absent' : 'a string',
  )
  if (embedded !== undefined && signer !== undefined) {
    result.token = await inspectEmbeddedToken(list, embedded, signer, context)
  }
  return list.toInspection('self-issued-token', result)
}

/**
 * Inspects an access token with the rules of the service's access token check. `presenterDid`
 * is the `iss` of the SI token that carries it, when known.
 */
export async function inspectAccessToken(
  raw: string,
  context: InspectContext,
  presenterDid: string | undefined,
  list = new CheckList(),
): Promise<Inspection> {
  const decoded = await list.run('compact JWS', () => accessTokenOrUndefined(raw) ?? decodeJwtParts(raw, accessTokenName), (jwt) => `alg ${jwt.header.alg}`)
  if (decoded === undefined) return list.toInspection('access-token', {})
  const { header, payload } = decoded
  const holderDid = typeof payload.iss === 'string' ? payload.iss : undefined
  const local = context.local

  if (local !== undefined) {
    await list.run('minted by this participant', () => checkMintedBy(payload, local.participant.did), () => local.participant.did)
  } else if (holderDid !== undefined) {
    await list.run('iss = aud', () => checkMintedBy(payload, holderDid), () => holderDid)
  }
  if (presenterDid !== undefined) {
    await list.run('sub = presenter', () => checkBoundTo(payload, presenterDid), () => presenterDid)
  } else {
    list.note(`the access token is bound to ${JSON.stringify(payload.sub ?? null)}; only the SI token that carries it can be checked against that`)
  }
  // The service runs the same time check on access tokens and only reports it as ERR_ACCESS_TOKEN_INVALID.
  inspectTimes(list, payload, context, accessTokenName)

  if (local !== undefined) {
    await list.run('MAC by a current access token key of this participant', () =>
      verifyMac(local.accessTokenKeys, raw, decodeAccessToken(raw).header, local.participant.id),
    )
  } else if (header.alg === 'HS256') {
    list.note('whether this service minted the access token is not checked, as only the service has its MAC key; give --participant and DATABASE_URL')
  } else if (holderDid !== undefined) {
    // An access token of another wallet, signed by its holder.
    await inspectSignature(list, context, { raw, header, signerDid: holderDid, purpose: purposeOf.siToken, tokenName: accessTokenName })
  }
  return list.toInspection('access-token', { header, payload })
}

/** Tells whether a decoded JWT has the shape of a DCP access token: issued to itself, with scopes. */
export function looksLikeAccessToken(decoded: { payload: JWTPayload }): boolean {
  const { payload } = decoded
  return typeof payload.iss === 'string' && payload.iss === payload.aud && typeof payload.scope === 'string'
}

async function inspectEmbeddedToken(list: CheckList, token: string, presenterDid: string, context: InspectContext) {
  let decoded: { header: Record<string, unknown>; payload: JWTPayload }
  try {
    decoded = accessTokenOrUndefined(token) ?? decodeJwtParts(token, 'the embedded token')
  } catch {
    list.note('the "token" claim is not a JWT; it is passed on as an opaque token')
    return { kind: 'opaque' }
  }
  if (!looksLikeAccessToken(decoded)) {
    list.note(`the "token" claim is a JWT from ${JSON.stringify(decoded.payload.iss)} but not a DCP access token; it is passed on as an opaque foreign token`)
    return { kind: 'foreign', header: decoded.header, payload: decoded.payload }
  }
  // A consumer's SI token carries an access token that its own wallet granted to the provider.
  // The provider presents it later in its own SI token, so only there is the binding checked.
  const granted = decoded.payload.iss === presenterDid
  if (granted) {
    list.note(
      `the access token was granted by ${JSON.stringify(presenterDid)}'s own wallet to ${JSON.stringify(decoded.payload.sub ?? null)}, which presents it in its own SI token`,
    )
  }
  const nested = await inspectAccessToken(token, context, granted ? undefined : presenterDid, new CheckList('access token: '))
  list.include(nested)
  return { kind: 'access-token', ...nested.decoded }
}

function accessTokenOrUndefined(token: string): DecodedAccessToken | undefined {
  try {
    return decodeAccessToken(token)
  } catch {
    return undefined
  }
}

function inspectAudience(list: CheckList, payload: JWTPayload, context: InspectContext, tokenName: string): void {
  const expected = context.audience
  if (expected === undefined) {
    list.note(`"aud" is ${JSON.stringify(payload.aud ?? null)}; give --audience DID to check it`)
    return
  }
  try {
    checkAudience(payload, expected, tokenName)
    list.pass('audience', expected)
  } catch (error) {
    if (!(error instanceof TokenError)) throw error
    list.fail('audience', `${error.message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(payload.aud ?? null)}`)
  }
}

/** Runs the service's time claim check and adds how long ago a token expired. */
export function inspectTimes(list: CheckList, payload: JWTPayload, context: InspectContext, tokenName: string): void {
  try {
    checkTimeClaims(payload, Math.floor(context.nowMs / 1000), context.leewaySeconds, tokenName)
    list.pass('time claims', expiryText(payload, context.nowMs))
  } catch (error) {
    if (!(error instanceof TokenError)) throw error
    list.fail('time claims', `${error.message}${relativeText(error.code, payload, context.nowMs)}`)
  }
}

async function inspectReplay(list: CheckList, context: InspectContext, jti: string | undefined): Promise<void> {
  if (jti === undefined) return
  if (context.local === undefined) {
    list.note('replay is not checked; give --participant and DATABASE_URL')
    return
  }
  const used = await isTokenUsed(context.local.db, context.local.participant.id, jti)
  if (used) list.fail('not replayed', `"jti" ${JSON.stringify(jti)} was already used with ${context.local.participant.id}`)
  else list.pass('not replayed', `"jti" ${JSON.stringify(jti)} is unused`)
}

function expiryText(payload: JWTPayload, nowMs: number): string {
  return typeof payload.exp === 'number' ? `expires ${new Date(payload.exp * 1000).toISOString()}${relativeTo(payload.exp * 1000, nowMs)}` : ''
}

function relativeText(code: string, payload: JWTPayload, nowMs: number): string {
  if (code === 'ERR_TOKEN_EXPIRED' && typeof payload.exp === 'number') return relativeTo(payload.exp * 1000, nowMs)
  if (code === 'ERR_TOKEN_NOT_YET_VALID') {
    const start = typeof payload.nbf === 'number' && payload.nbf * 1000 > nowMs ? payload.nbf : payload.iat
    if (typeof start === 'number') return relativeTo(start * 1000, nowMs)
  }
  return ''
}
