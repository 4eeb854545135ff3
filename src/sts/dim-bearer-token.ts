import { randomUUID } from 'node:crypto'
import { AppError } from '../errors/app-error.js'
import type { KeyManager } from '../keys/key-manager.js'
import { signJwt } from '../keys/sign-jwt.js'
import type { StsClientCredential } from '../storage/sts-client-repository.js'
import { jwsSignatureVerifies } from '../keys/jws-public-key.js'
import { decodeJwtParts } from '../tokens/decode-jwt.js'
import type { OwnVerificationKeys } from '../tokens/own-verification-keys.js'
import { checkTimeClaims } from '../tokens/time-claims.js'
import type { SecureTokenService } from './sts-service.js'

/**
 * `aud` of DIM bearer tokens. It is no DID, so neither this service's access token check nor a
 * peer's SI token check, which both require their own DID in `aud`, accepts such a token.
 */
export const dimBearerAudience = 'urn:dcp-identity:dim-sts'
const bearerType = 'dim-sts+jwt'

export interface DimBearerTokens {
  sts: Pick<SecureTokenService, 'findActiveClient'>
  keyManager: KeyManager
  ownKeys: OwnVerificationKeys
  ttlSeconds: number
  leewaySeconds: number
  now?: () => number
}

/**
 * Mints the bearer token of the DIM STS for an authenticated client: a JWT signed with the
 * participant's `sign_token` key, so every replica can check it without shared state.
 */
export async function mintDimBearerToken(options: DimBearerTokens, client: StsClientCredential): Promise<string> {
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000)
  const payload = {
    iss: client.participantDid,
    aud: dimBearerAudience,
    client_id: client.clientId,
    jti: randomUUID(),
    iat: nowSeconds,
    exp: nowSeconds + options.ttlSeconds,
  }
  return signJwt(options.keyManager, client.participantDid, 'sign_token', { typ: bearerType }, payload)
}

/**
 * Checks a DIM bearer token and returns its client. The client is looked up again, so a deleted
 * client or a deactivated participant loses access within the STS client cache lifetime.
 */
export async function verifyDimBearerToken(options: DimBearerTokens, token: string): Promise<StsClientCredential> {
  let decoded: ReturnType<typeof decodeJwtParts>
  try {
    decoded = decodeJwtParts(token, 'the bearer token')
  } catch {
    throw invalid()
  }
  const { header, payload } = decoded
  if (header.typ !== bearerType || payload.aud !== dimBearerAudience || typeof payload.client_id !== 'string') throw invalid()
  const client = await options.sts.findActiveClient(payload.client_id)
  if (client === undefined || payload.iss !== client.participantDid) throw invalid()
  try {
    checkTimeClaims(payload, Math.floor((options.now ?? Date.now)() / 1000), options.leewaySeconds, 'the bearer token')
    await verifyWithOwnKey(options.ownKeys, token, header, client)
  } catch (error) {
    if (error instanceof AppError) throw invalid()
    throw error
  }
  return client
}

/** Verifies the token's signature with a current `sign_token` key of the client's participant. */
async function verifyWithOwnKey(
  ownKeys: OwnVerificationKeys,
  token: string,
  header: { alg: string; kid?: string },
  client: StsClientCredential,
): Promise<void> {
  const prefix = `${client.participantDid}#`
  const fragment = header.kid?.startsWith(prefix) ? header.kid.slice(prefix.length) : undefined
  const key = fragment === undefined ? undefined : await ownKeys.find(client.participantId, fragment)
  if (!key || key.algorithm !== header.alg || !key.usages.includes('sign_token') || !jwsSignatureVerifies(token, key.key)) throw invalid()
}

function invalid(): AppError {
  return new AppError('ERR_DIM_TOKEN_INVALID', 'the bearer token is invalid or expired; request a new one from POST /dim/oauth/token')
}
