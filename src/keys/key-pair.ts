import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject, type SignKeyObjectInput } from 'node:crypto'
import type { JWK } from 'jose'
import { threadPool } from '../runtime/thread-pool.js'
import type { KeyAlgorithm } from './key.js'

/** Curve of each algorithm as a JWK names it. */
const curves: Record<KeyAlgorithm, 'P-256' | 'Ed25519'> = { ES256: 'P-256', EdDSA: 'Ed25519' }

/** Options of one signature; a signer whose key is not in this process ignores them. */
export interface SignOptions {
  /**
   * Signs on libuv's thread pool instead of the event loop. That pays where the signature is most
   * of a request's work, as at the STS. For presentation queries the benchmark measured a p99 at
   * half load of about 27 ms this way and about 15 ms on the event loop. While DNS lookups may
   * hold every pool thread, or the pool has stopped finishing signatures, the signature runs on
   * the event loop anyway, so a name server that never responds does not stall the STS.
   */
  onThreadPool?: boolean
}

export type Signer = (signingInput: Uint8Array, options?: SignOptions) => Promise<Uint8Array>

/** Generates a key pair in this process, for local and kms-envelope custody. */
export function generateKeyPair(algorithm: KeyAlgorithm): { privateKey: KeyObject; publicJwk: JWK } {
  const { privateKey, publicKey } =
    algorithm === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519')
  return { privateKey, publicJwk: toPublicJwk(publicKey, algorithm) }
}

/** Returns a signer over an in-memory private key: ES256 as `r || s`, EdDSA as the 64-byte signature. */
export function keyObjectSigner(privateKey: KeyObject, algorithm: KeyAlgorithm): Signer {
  const digest = algorithm === 'ES256' ? 'sha256' : null
  const key: SignKeyObjectInput = algorithm === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : { key: privateKey }
  // Not an async function: returning the pool's promise from one would cost the caller two more
  // microtask turns per signature.
  return (input, options) => {
    if (!options?.onThreadPool || threadPool.saturated) {
      try {
        return Promise.resolve(sign(digest, input, key))
      } catch (error) {
        return Promise.reject(error)
      }
    }
    return threadPool.track(
      new Promise<Uint8Array>((resolve, reject) => {
        sign(digest, input, key, (error, signature) => (error ? reject(error) : resolve(signature)))
      }),
    )
  }
}

export function exportPkcs8(privateKey: KeyObject): Buffer {
  return privateKey.export({ format: 'der', type: 'pkcs8' })
}

/** Imports a PKCS#8 private key and checks that it belongs to the algorithm. */
export function importPkcs8(der: Buffer, algorithm: KeyAlgorithm): KeyObject {
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
  assertCurve(key, algorithm)
  return key
}

/** Converts a DER SubjectPublicKeyInfo, as KMS GetPublicKey returns it, to a public JWK. */
export function spkiToPublicJwk(der: Uint8Array, algorithm: KeyAlgorithm): JWK {
  return toPublicJwk(createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }), algorithm)
}

/** Exports only the public members, so no private or optional field reaches a DID document. */
function toPublicJwk(key: KeyObject, algorithm: KeyAlgorithm): JWK {
  assertCurve(key, algorithm)
  const jwk = key.export({ format: 'jwk' })
  return jwk.kty === 'EC'
    ? { kty: 'EC', crv: jwk.crv!, x: jwk.x!, y: jwk.y! }
    : { kty: 'OKP', crv: jwk.crv!, x: jwk.x! }
}

function assertCurve(key: KeyObject, algorithm: KeyAlgorithm): void {
  const expected = curves[algorithm]
  const actual = key.asymmetricKeyType === 'ed25519' ? 'Ed25519' : key.asymmetricKeyDetails?.namedCurve
  const matches = expected === 'Ed25519' ? actual === 'Ed25519' : actual === 'prime256v1' || actual === 'P-256'
  if (!matches) throw new TypeError(`the key is of type "${actual ?? key.asymmetricKeyType}"; ${algorithm} needs ${expected}`)
}
