import type { JWTPayload } from 'jose'
import { verifyJwtCredential } from '../credentials/verify-jwt-credential.js'
import { resolveVerificationKey, type KeyResolver } from '../did/verification-key.js'
import { purposeOf } from '../did/verification-method.js'
import { AppError } from '../errors/app-error.js'
import type { Participant } from '../participants/participant.js'
import type { Queryable } from '../storage/database.js'
import { findIssuedCredentialStatus } from '../storage/issued-credential-repository.js'
import { decodeJwtParts, requireStringClaim } from '../tokens/decode-jwt.js'
import { recordTokenUse } from '../tokens/jti-store.js'
import { verifySignature } from '../tokens/self-issued-token-verifier.js'
import { checkTimeClaims } from '../tokens/time-claims.js'
import { TokenError } from '../tokens/token-error.js'

export interface MembershipCheck {
  db: Queryable
  resolver: KeyResolver
  leewaySeconds: number
  nowMs: number
}

const what = 'the presentation'

/**
 * Verifies a VP JWT that must prove membership with this issuer, as the Tractus-X BPN directory
 * (BDRS) requires. The VP needs exactly one `aud` and the holder's signature. It may contain only
 * MembershipCredentials, and each must be signed by `issuer`, issued to the holder, valid, and
 * neither revoked nor suspended. Its `jti` is recorded in the issuer's token id store last, so a
 * captured VP is rejected the second time. Returns the holder DID, and every failure raises an
 * `AppError`.
 */
export async function verifyMembershipPresentation(vpJwt: string, issuer: Participant, check: MembershipCheck): Promise<string> {
  const { header, payload } = decodeJwtParts(vpJwt, what)
  const holder = requireStringClaim(payload, 'iss', what)
  if (!hasSingleAudience(payload.aud)) throw invalid(`${what} must have exactly one "aud"`)
  checkTimeClaims({ iat: Math.floor(check.nowMs / 1000), ...payload }, Math.floor(check.nowMs / 1000), check.leewaySeconds, what)
  const jti = requireStringClaim(payload, 'jti', what)

  const { key } = await resolveVerificationKey(check.resolver, {
    did: holder,
    kid: header.kid,
    alg: header.alg,
    purpose: purposeOf.presentation,
  })
  verifySignature(vpJwt, key, what)

  const credentials = credentialsOf(payload)
  for (const raw of credentials) {
    const credential = await verifyJwtCredential(check.resolver, raw, { holderDid: holder, ...check })
    if (credential.issuer !== issuer.did) throw invalid(`a credential of ${what} is not issued by ${issuer.did}`)
    if (!credential.types.includes('MembershipCredential')) throw invalid(`${what} contains a credential that is not a MembershipCredential`)
    const status = await findIssuedCredentialStatus(check.db, issuer.id, (credential.credentialId ?? '').replace(/^urn:uuid:/, ''))
    if (status !== 'active') throw invalid(`a MembershipCredential of ${what} is ${status ?? 'unknown to this issuer'}`)
  }

  // Recorded only after every check passed, so a rejected VP does not use up its jti.
  const firstUse = await recordTokenUse(check.db, {
    participantId: issuer.id,
    jti,
    issuer: holder,
    expiresAt: new Date((payload.exp as number) * 1000),
  })
  if (!firstUse) throw new TokenError('ERR_TOKEN_REPLAYED', `${what} with "jti" ${JSON.stringify(jti)} was already used`)
  return holder
}

function hasSingleAudience(aud: JWTPayload['aud']): boolean {
  return typeof aud === 'string' || (Array.isArray(aud) && aud.length === 1)
}

function credentialsOf(payload: JWTPayload): string[] {
  const vp = payload.vp as { verifiableCredential?: unknown } | undefined
  const list = vp?.verifiableCredential
  if (!Array.isArray(list) || list.length === 0 || !list.every((entry) => typeof entry === 'string')) {
    throw invalid(`${what} has no "vp.verifiableCredential" list of JWT credentials`)
  }
  return list as string[]
}

function invalid(message: string): AppError {
  return new AppError('ERR_AUTH_INVALID', message)
}
