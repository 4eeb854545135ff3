import type { JWSHeaderParameters, JWTPayload } from 'jose'
import { encodeJsonPart } from './jws-public-key.js'
import type { KeyManager } from './key-manager.js'
import type { KeyUsage } from './key.js'
import type { SignOptions } from './key-pair.js'

/** Header members the caller may set; `alg` and `kid` always come from the key. */
export type JwtHeader = Omit<JWSHeaderParameters, 'alg' | 'kid' | 'b64' | 'crit'>

/**
 * Signs a compact JWS (RFC 7515) with the participant's default key for `usage`. The header
 * gets `alg` from the key and `kid` as the absolute DID URL `did#fragment`, which verifiers
 * resolve against the participant's DID document. In steady state this makes no database query.
 */
export async function signJwt(
  keyManager: KeyManager,
  participantDid: string,
  usage: KeyUsage,
  header: JwtHeader,
  payload: JWTPayload,
  options?: SignOptions,
): Promise<string> {
  const key = await keyManager.defaultKeyForDid(participantDid, usage)
  const protectedHeader = { ...header, alg: key.algorithm, kid: `${participantDid}#${key.fragment}` }
  const signingInput = `${encodeJsonPart(protectedHeader)}.${encodeJsonPart(payload)}`
  const signature = await keyManager.sign(key, Buffer.from(signingInput, 'latin1'), options)
  return `${signingInput}.${Buffer.from(signature).toString('base64url')}`
}
