import { AppError } from '../errors/app-error.js'
import { open, seal } from './aes-gcm.js'
import { keyBinding, type Custodian, type KeyIdentity } from './custodian.js'
import { exportPkcs8, generateKeyPair, importPkcs8, keyObjectSigner } from './key-pair.js'

/** Local custody: private keys generated here and stored encrypted under the master key. */
export function localCustodian(masterKey: Buffer): Custodian {
  return {
    async generate(identity) {
      const { privateKey, publicJwk } = generateKeyPair(identity.algorithm)
      const pkcs8 = exportPkcs8(privateKey)
      const ciphertext = seal(masterKey, pkcs8, associatedData(identity))
      pkcs8.fill(0)
      return {
        publicJwk,
        material: { privateKeyCiphertext: ciphertext, kmsKeyId: null },
        signer: keyObjectSigner(privateKey, identity.algorithm),
      }
    },

    async loadSigner(identity, material) {
      if (material.privateKeyCiphertext === null) throw materialError(identity, 'no encrypted private key is stored')
      let pkcs8: Buffer
      try {
        pkcs8 = open(masterKey, material.privateKeyCiphertext, associatedData(identity))
      } catch (error) {
        throw materialError(identity, (error as Error).message, error)
      }
      try {
        return keyObjectSigner(importPkcs8(pkcs8, identity.algorithm), identity.algorithm)
      } finally {
        pkcs8.fill(0)
      }
    },

    async retire() {},
    async discard() {},
  }
}

function associatedData(identity: KeyIdentity): string {
  return JSON.stringify(keyBinding(identity))
}

function materialError(identity: KeyIdentity, reason: string, cause?: unknown): AppError {
  return new AppError(
    'ERR_KEY_MATERIAL_INVALID',
    `cannot decrypt local key "${identity.keyId}" of participant "${identity.participantId}": ${reason}`,
    { cause },
  )
}
