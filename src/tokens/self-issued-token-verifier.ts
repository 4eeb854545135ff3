import type { JWTPayload } from 'jose'
import { resolveVerificationKey, type KeyResolver } from '../did/verification-key.js'
import { jwsSignatureVerifies, type JwsPublicKey } from '../keys/jws-public-key.js'
import { purposeOf } from '../did/verification-method.js'
import type { Queryable } from '../storage/database.js'
import { audienceContains, decodeJwtParts, requireStringClaim } from './decode-jwt.js'
import { checkTimeClaims } from './time-claims.js'
import { TokenError } from './token-error.js'
import { TokenUseBatcher } from './token-use-batcher.js'

export interface SelfIssuedTokenVerifierOptions {
  resolver: KeyResolver
  /** Database that records accepted token ids, shared by all replicas. */
  db: Queryable
  leewaySeconds: number
  /** Current time in milliseconds. */
  now?: () => number
}

/** The receiver a token must be addressed to. */
export interface TokenReceiver {
  participantId: string
  did: string
}

/** A Self-Issued ID token that passed every check. */
export interface VerifiedSelfIssuedToken {
  /** DID of the signer: `iss`, equal to `sub`. */
  issuer: string
  /** The `token` claim, passed on unparsed; an access token when the signer's STS added one. */
  accessToken: string | undefined
  payload: JWTPayload
}

/**
 * Checks a Self-Issued ID token received by a participant, in the order of the DCP rules:
 * `iss` = `sub`, `aud` = the receiver, the time claims, the signature with a
 * `capabilityInvocation` key of the signer's DID document, and last the `jti`, so that a token
 * refused for another reason does not use up its id.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#validating-self-issued-id-tokens
 */
export class SelfIssuedTokenVerifier {
  readonly #options: SelfIssuedTokenVerifierOptions
  readonly #tokenUses: TokenUseBatcher

  constructor(options: SelfIssuedTokenVerifierOptions) {
    this.#options = options
    this.#tokenUses = new TokenUseBatcher(options.db)
  }

  async verify(token: string, receiver: TokenReceiver): Promise<VerifiedSelfIssuedToken> {
    const tokenName = 'the Self-Issued ID token'
    const { header, payload } = decodeJwtParts(token, tokenName)

    const { issuer, subject } = checkIssuerIsSubject(payload, tokenName)
    checkAudience(payload, receiver.did, tokenName)

    const nowSeconds = Math.floor(this.#now() / 1000)
    checkTimeClaims(payload, nowSeconds, this.#options.leewaySeconds, tokenName)
    const jti = requireStringClaim(payload, 'jti', tokenName)
    const accessToken = optionalTokenClaim(payload, tokenName)

    const { key, document } = await resolveVerificationKey(this.#options.resolver, {
      did: issuer,
      kid: header.kid,
      alg: header.alg,
      purpose: purposeOf.siToken,
    })
    verifySignature(token, key, tokenName)
    checkDocumentIsSubject(document.id, subject, tokenName)

    const firstUse = await this.#tokenUses.record({
      participantId: receiver.participantId,
      jti,
      issuer,
      expiresAt: new Date((payload.exp as number) * 1000),
    })
    if (!firstUse) throw new TokenError('ERR_TOKEN_REPLAYED', `${tokenName} with "jti" ${quote(jti)} was already used`)

    return { issuer, accessToken, payload }
  }

  #now(): number {
    return (this.#options.now ?? Date.now)()
  }
}

/** Verifies a compact JWS with one key and its algorithm; any failure is ERR_TOKEN_SIGNATURE_INVALID. */
export function verifySignature(token: string, key: JwsPublicKey, tokenName: string): void {
  // One message for every signature failure: the detail would tell a forger what to change.
  if (!jwsSignatureVerifies(token, key)) throw new TokenError('ERR_TOKEN_SIGNATURE_INVALID', `the signature of ${tokenName} does not verify`)
}

/** Checks that `iss` and `sub` are present and equal, as DCP requires of a Self-Issued ID token. */
export function checkIssuerIsSubject(payload: JWTPayload, tokenName: string): { issuer: string; subject: string } {
  const issuer = requireStringClaim(payload, 'iss', tokenName)
  const subject = requireStringClaim(payload, 'sub', tokenName)
  if (issuer !== subject) {
    throw new TokenError('ERR_TOKEN_SUBJECT_MISMATCH', `${tokenName} has "iss" ${quote(issuer)} but "sub" ${quote(subject)}`)
  }
  return { issuer, subject }
}

/** Checks that `aud` is present and contains the receiver's DID. */
export function checkAudience(payload: JWTPayload, receiverDid: string, tokenName: string): void {
  if (payload.aud === undefined) throw new TokenError('ERR_TOKEN_CLAIM_MISSING', `${tokenName} has no "aud" claim`)
  if (!audienceContains(payload.aud, receiverDid)) {
    throw new TokenError('ERR_TOKEN_AUDIENCE_MISMATCH', `${tokenName} is not addressed to ${quote(receiverDid)}`)
  }
}

/** Checks that the resolved DID document is the document of `sub`, not of another DID. */
export function checkDocumentIsSubject(documentId: string, subject: string, tokenName: string): void {
  if (documentId !== subject) {
    throw new TokenError('ERR_TOKEN_SUBJECT_MISMATCH', `${tokenName} has "sub" ${quote(subject)} but its DID document is ${quote(documentId)}`)
  }
}

/** Reads the optional `token` claim, which must be a string when present. */
export function optionalTokenClaim(payload: JWTPayload, tokenName: string): string | undefined {
  const value = payload.token
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new TokenError('ERR_TOKEN_MALFORMED', `${tokenName} has a "token" claim that is not a string`)
  return value
}

function quote(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value)
}
