import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto'
import { ExpiringCache } from './expiring-cache.js'

/**
 * Verification parameters of each accepted JWS algorithm (RFC 7518, section 3.1): the digest, the
 * key type, and for ECDSA the curve and the length of the raw `r || s` signature.
 */
const algorithms: Record<string, AlgorithmParameters> = {
  ES256: { digest: 'sha256', keyType: 'ec', curve: 'prime256v1', signatureLength: 64 },
  ES384: { digest: 'sha384', keyType: 'ec', curve: 'secp384r1', signatureLength: 96 },
  ES512: { digest: 'sha512', keyType: 'ec', curve: 'secp521r1', signatureLength: 132 },
  EdDSA: { digest: null, keyType: ['ed25519', 'ed448'] },
  RS256: { digest: 'sha256', keyType: 'rsa' },
  RS384: { digest: 'sha384', keyType: 'rsa' },
  RS512: { digest: 'sha512', keyType: 'rsa' },
  PS256: { digest: 'sha256', keyType: 'rsa', pss: true },
  PS384: { digest: 'sha384', keyType: 'rsa', pss: true },
  PS512: { digest: 'sha512', keyType: 'rsa', pss: true },
}

interface AlgorithmParameters {
  digest: string | null
  keyType: string | string[]
  curve?: string
  signatureLength?: number
  pss?: boolean
}

/** Asymmetric JWS algorithms; `none` and HMAC never authenticate a foreign signer. */
export const acceptedAlgorithms: readonly string[] = Object.keys(algorithms)

/** RSA keys shorter than this are rejected, as RFC 7518 section 3.3 requires. */
const minimumRsaBits = 2048

/** A public key checked to fit one JWS algorithm. */
export interface JwsPublicKey {
  alg: string
  key: KeyObject
}

// Imports took a tenth of a presentation query's time in a profile, and a few verifier keys sign
// most tokens. An import depends only on the JWK and the algorithm, so entries never go stale and
// the bound only caps memory.
const imported = new ExpiringCache<string, JwsPublicKey>({ ttlMs: 60 * 60 * 1000, maxEntries: 10_000 })

/**
 * Imports a public JWK for verifying signatures of `alg`. Throws a `TypeError` with the reason when
 * the algorithm is not accepted, the JWK does not parse, or its key type, curve or size does not
 * fit the algorithm.
 */
export function importJwsPublicKey(jwk: Record<string, unknown>, alg: string): JwsPublicKey {
  const cacheKey = `${alg} ${JSON.stringify(jwk)}`
  const cached = imported.get(cacheKey)
  if (cached !== undefined) return cached

  const parameters = algorithms[alg]
  if (parameters === undefined) throw new TypeError(`"alg" ${JSON.stringify(alg)} is not an accepted JWS algorithm`)
  let key: KeyObject
  try {
    key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
  } catch (error) {
    throw new TypeError(`the JWK is not a valid public key: ${(error as Error).message}`)
  }
  checkFits(key, alg, parameters)
  const result = { alg, key }
  imported.set(cacheKey, result)
  return result
}

/** Three non-empty base64url parts; Node's decoder skips other characters instead of failing. */
export const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/**
 * Checks the signature of a compact JWS with `publicKey`. False when the token is not three
 * base64url parts, its header names another algorithm or a critical extension, or the signature
 * does not verify. The header's other members and the payload are not read here.
 */
export function jwsSignatureVerifies(token: string, publicKey: JwsPublicKey): boolean {
  if (!compactJws.test(token)) return false
  const firstDot = token.indexOf('.')
  const secondDot = token.indexOf('.', firstDot + 1)
  const header = decodeJsonObjectPart(token.slice(0, firstDot))
  // No extension is understood here, so a header that marks one critical is rejected (RFC 7515, 4.1.11).
  if (header === undefined || header.alg !== publicKey.alg || header.crit !== undefined || header.b64 !== undefined) return false

  const parameters = algorithms[publicKey.alg]!
  const signature = Buffer.from(token.slice(secondDot + 1), 'base64url')
  if (parameters.signatureLength !== undefined && signature.length !== parameters.signatureLength) return false
  const signingInput = Buffer.from(token.slice(0, secondDot), 'latin1')
  if (parameters.keyType === 'ec') {
    return verify(parameters.digest, signingInput, { key: publicKey.key, dsaEncoding: 'ieee-p1363' }, signature)
  }
  if (parameters.pss) {
    const options = { key: publicKey.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    return verify(parameters.digest, signingInput, options, signature)
  }
  return verify(parameters.digest, signingInput, publicKey.key, signature)
}

/** Encodes a JSON value as one base64url part of a JWS. */
export function encodeJsonPart(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')
}

/** Decodes one base64url part of a JWS as a JSON object; undefined when it is anything else. */
export function decodeJsonObjectPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function checkFits(key: KeyObject, alg: string, parameters: AlgorithmParameters): void {
  const keyType = key.asymmetricKeyType ?? 'unknown'
  const keyTypes = Array.isArray(parameters.keyType) ? parameters.keyType : [parameters.keyType]
  if (!keyTypes.includes(keyType)) throw new TypeError(`a key of type "${keyType}" cannot verify ${alg}`)
  const details = key.asymmetricKeyDetails ?? {}
  if (parameters.curve !== undefined && details.namedCurve !== parameters.curve) {
    throw new TypeError(`${alg} needs curve ${parameters.curve}, not ${details.namedCurve ?? 'unknown'}`)
  }
  if (keyType === 'rsa' && (details.modulusLength ?? 0) < minimumRsaBits) {
    throw new TypeError(`${alg} needs an RSA key of at least ${minimumRsaBits} bits, not ${details.modulusLength ?? 'unknown'}`)
  }
}
