import type { DataIntegritySigner } from '@digitalbazaar/data-integrity'
import { AppError } from '../../errors/app-error.js'
import type { KeyManager } from '../../keys/key-manager.js'
import type { KeyUsage } from '../../keys/key.js'

/**
 * Creates a Data Integrity signer for a participant's default key of `usage`. Signing goes
 * through the KeyManager, so the private key stays with its custodian (local store or KMS).
 * The ecdsa-rdfc-2019 cryptosuite passes the concatenated proof and document hashes as `data`.
 * An ES256 signature over them is exactly the P-256 signature the cryptosuite requires, and
 * it arrives as the raw `r || s` form that the proof value encodes.
 * @see https://www.w3.org/TR/vc-di-ecdsa/#proof-serialization-ecdsa-rdfc-2019
 */
export async function custodianSigner(keyManager: KeyManager, did: string, usage: KeyUsage): Promise<DataIntegritySigner> {
  const key = await keyManager.defaultKeyForDid(did, usage)
  if (key.algorithm !== 'ES256') {
    throw new AppError(
      'ERR_DATA_INTEGRITY_KEY_UNSUPPORTED',
      `the ${usage} key "${key.id}" of ${JSON.stringify(did)} is ${key.algorithm}, but the ecdsa-rdfc-2019 cryptosuite needs a P-256 (ES256) key. Make an ES256 key the default for ${usage}`,
    )
  }
  return {
    id: `${did}#${key.fragment}`,
    algorithm: 'P-256',
    sign: ({ data }) => keyManager.sign(key, data),
  }
}
