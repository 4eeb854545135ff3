import type { JWSHeaderParameters, JWTPayload } from 'jose'
import { encodeJsonPart } from './jws-public-key.js'
import type { KeyManager } from './key-manager.js'
import type { KeyUsage, ParticipantKey } from './key.js'
import type { SignOptions, Signer } from './key-pair.js'

/** Header members the caller may set; `alg` and `kid` always come from the key. */
export type JwtHeader = Omit<JWSHeaderParameters, 'alg' | 'kid' | 'b64' | 'crit'>

/** The last frozen header encoded for a key, with the DID its `kid` names. */
interface EncodedHeader {
  header: JwtHeader
  participantDid: string
  encoded: string
}

const encodedHeaders = new WeakMap<ParticipantKey, EncodedHeader>()

/**
 * Signs a compact JWS (RFC 7515) with the participant's default key for `usage`. The header
 * gets `alg` from the key and `kid` as the absolute DID URL `did#fragment`, which verifiers
 * resolve against the participant's DID document. In steady state this makes no database query,
 * and with the key and its signer cached it awaits nothing before the signature. A frozen
 * `header` with primitive members is encoded once per key and reused while the caller passes
 * that same object.
 */
export function signJwt(
  keyManager: KeyManager,
  participantDid: string,
  usage: KeyUsage,
  header: JwtHeader,
  payload: JWTPayload,
  options?: SignOptions,
): Promise<string> {
  const ready = keyManager.readySigner(participantDid, usage)
  if (ready === undefined) return signAfterLookup(keyManager, participantDid, usage, header, payload, options)
  return signCompact(participantDid, ready.key, ready.sign, header, payload, options)
}

async function signAfterLookup(
  keyManager: KeyManager,
  participantDid: string,
  usage: KeyUsage,
  header: JwtHeader,
  payload: JWTPayload,
  options: SignOptions | undefined,
): Promise<string> {
  const key = await keyManager.defaultKeyForDid(participantDid, usage)
  const sign: Signer = (signingInput, signOptions) => keyManager.sign(key, signingInput, signOptions)
  return signCompact(participantDid, key, sign, header, payload, options)
}

function signCompact(
  participantDid: string,
  key: ParticipantKey,
  sign: Signer,
  header: JwtHeader,
  payload: JWTPayload,
  options: SignOptions | undefined,
): Promise<string> {
  try {
    const signingInput = `${encodedHeader(participantDid, key, header)}.${encodeJsonPart(payload)}`
    return sign(Buffer.from(signingInput, 'latin1'), options).then(
      (signature) => `${signingInput}.${Buffer.from(signature).toString('base64url')}`,
    )
  } catch (error) {
    // A payload that JSON cannot encode rejects the promise, so callers handle one kind of failure.
    return Promise.reject(error)
  }
}

/**
 * Encodes the protected header. Encoding it took an STS token about 3 µs of its event loop, so
 * the encoding of a frozen header is kept with the cached key object it was made for.
 */
function encodedHeader(participantDid: string, key: ParticipantKey, header: JwtHeader): string {
  const last = encodedHeaders.get(key)
  if (last !== undefined && last.header === header && last.participantDid === participantDid) return last.encoded
  const encoded = encodeJsonPart({ ...header, alg: key.algorithm, kid: `${participantDid}#${key.fragment}` })
  if (isFrozenFlat(header)) encodedHeaders.set(key, { header, participantDid, encoded })
  return encoded
}

/** True for a frozen header whose members are all primitives, which therefore cannot change. */
function isFrozenFlat(header: JwtHeader): boolean {
  if (!Object.isFrozen(header)) return false
  for (const value of Object.values(header)) if (typeof value === 'object' && value !== null) return false
  return true
}
