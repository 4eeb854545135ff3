import {
  DecryptCommand,
  EncryptCommand,
  type EncryptCommandOutput,
  type KMSClient,
} from '@aws-sdk/client-kms'
import { AppError } from '../errors/app-error.js'
import { keyBinding, type Custodian, type KeyIdentity } from './custodian.js'
import { exportPkcs8, generateKeyPair, importPkcs8, keyObjectSigner } from './key-pair.js'
import { callKms } from './kms-errors.js'

/**
 * kms-envelope custody: the key pair is generated here and its PKCS#8 private key is encrypted
 * by KMS Encrypt under a symmetric KMS key. One KMS Decrypt loads it into memory; after that,
 * signatures need no KMS call. The encryption context binds the ciphertext to its key row.
 */
export function kmsEnvelopeCustodian(client: KMSClient, envelopeKeyId: string): Custodian {
  return {
    async generate(identity) {
      const { privateKey, publicJwk } = generateKeyPair(identity.algorithm)
      const pkcs8 = exportPkcs8(privateKey)
      const command = new EncryptCommand({
        KeyId: envelopeKeyId,
        Plaintext: pkcs8,
        EncryptionContext: keyBinding(identity),
      })
      let encrypted: EncryptCommandOutput
      try {
        encrypted = await callKms('Encrypt', () => client.send(command))
      } finally {
        pkcs8.fill(0)
      }
      if (encrypted.CiphertextBlob === undefined || encrypted.KeyId === undefined) {
        throw new AppError('ERR_KMS_REQUEST_FAILED', 'KMS Encrypt returned no ciphertext')
      }
      return {
        publicJwk,
        material: { privateKeyCiphertext: Buffer.from(encrypted.CiphertextBlob), kmsKeyId: encrypted.KeyId },
        signer: keyObjectSigner(privateKey, identity.algorithm),
      }
    },

    async loadSigner(identity, material) {
      if (material.privateKeyCiphertext === null || material.kmsKeyId === null) {
        throw materialError(identity, 'no encrypted private key is stored')
      }
      const command = new DecryptCommand({
        CiphertextBlob: material.privateKeyCiphertext,
        KeyId: material.kmsKeyId,
        EncryptionContext: keyBinding(identity),
      })
      const decrypted = await callKms('Decrypt', () => client.send(command))
      if (decrypted.Plaintext === undefined) throw materialError(identity, 'KMS Decrypt returned no plaintext')
      const pkcs8 = Buffer.from(decrypted.Plaintext)
      try {
        return keyObjectSigner(importPkcs8(pkcs8, identity.algorithm), identity.algorithm)
      } catch (error) {
        throw materialError(identity, (error as Error).message, error)
      } finally {
        pkcs8.fill(0)
        decrypted.Plaintext.fill(0)
      }
    },

    // Revocation erases the stored ciphertext, which is all there is to destroy.
    async retire() {},
    async discard() {},
  }
}

function materialError(identity: KeyIdentity, reason: string, cause?: unknown): AppError {
  return new AppError(
    'ERR_KEY_MATERIAL_INVALID',
    `cannot load kms-envelope key "${identity.keyId}" of participant "${identity.participantId}": ${reason}`,
    { cause },
  )
}
