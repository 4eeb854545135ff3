import { createHash } from 'node:crypto'
import {
  CreateAliasCommand,
  CreateKeyCommand,
  GetPublicKeyCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  type KMSClient,
} from '@aws-sdk/client-kms'
import type { KmsConfig } from '../config/key-variables.js'
import { AppError } from '../errors/app-error.js'
import type { Logger } from '../observability/logger.js'
import type { KeyMaterial } from '../storage/key-repository.js'
import type { Custodian, KeyIdentity } from './custodian.js'
import { derToJose, SignatureEncodingError } from './der-signature.js'
import { spkiToPublicJwk, type Signer } from './key-pair.js'
import type { KeyAlgorithm } from './key.js'
import { callKms } from './kms-errors.js'

/** KMS limit on the Message of Sign with MessageType RAW. */
const maxRawMessageBytes = 4096

const keySpecs: Record<KeyAlgorithm, 'ECC_NIST_P256' | 'ECC_NIST_EDWARDS25519'> = {
  ES256: 'ECC_NIST_P256',
  EdDSA: 'ECC_NIST_EDWARDS25519',
}

/**
 * aws-kms custody: a non-exportable KMS key per participant key; every signature is one KMS
 * Sign call. Keys are tagged with the instance, participant and usages, so an IAM policy on
 * `aws:ResourceTag/dcp-identity:instance` can limit the service to its own keys.
 */
export function awsKmsCustodian(client: KMSClient, config: KmsConfig, logger: Logger): Custodian {
  async function discard(identity: KeyIdentity, material: KeyMaterial): Promise<void> {
    try {
      await scheduleDeletion(client, material, 7)
    } catch (error) {
      // The key is unused but stays billed; the log names it for manual clean-up.
      const { participantId, keyId } = identity
      logger.error(
        { err: error, participantId, keyId, kmsKeyId: material.kmsKeyId },
        'failed to schedule deletion of an unused KMS key',
      )
    }
  }

  return {
    async generate(identity) {
      const createKey = createKeyCommand(identity, config)
      const created = await callKms('CreateKey', () => client.send(createKey))
      const arn = created.KeyMetadata?.Arn
      if (arn === undefined) throw new AppError('ERR_KMS_REQUEST_FAILED', 'KMS CreateKey returned no key ARN')
      const material: KeyMaterial = { privateKeyCiphertext: null, kmsKeyId: arn }
      try {
        const createAlias = new CreateAliasCommand({ AliasName: aliasName(identity, config), TargetKeyId: arn })
        await callKms('CreateAlias', () => client.send(createAlias))
        const publicKey = await callKms('GetPublicKey', () => client.send(new GetPublicKeyCommand({ KeyId: arn })))
        if (publicKey.PublicKey === undefined) {
          throw new AppError('ERR_KMS_REQUEST_FAILED', 'KMS GetPublicKey returned no key')
        }
        return { publicJwk: spkiToPublicJwk(publicKey.PublicKey, identity.algorithm), material }
      } catch (error) {
        await discard(identity, material)
        throw error
      }
    },

    async loadSigner(identity, material) {
      if (material.kmsKeyId === null) {
        throw new AppError('ERR_KEY_MATERIAL_INVALID', `aws-kms key "${identity.keyId}" has no KMS key id`)
      }
      return kmsSigner(client, material.kmsKeyId, identity.algorithm)
    },

    async retire(identity, material) {
      await scheduleDeletion(client, material, config.deletionWindowDays)
      const { participantId, keyId } = identity
      logger.info(
        { participantId, keyId, kmsKeyId: material.kmsKeyId, days: config.deletionWindowDays },
        'KMS key scheduled for deletion',
      )
    },

    discard,
  }
}

function createKeyCommand(identity: KeyIdentity, config: KmsConfig): CreateKeyCommand {
  return new CreateKeyCommand({
    KeySpec: keySpecs[identity.algorithm],
    KeyUsage: 'SIGN_VERIFY',
    Description: `dcp-identity ${identity.algorithm} key ${identity.fragment} of participant ${identity.participantId}`,
    Tags: [
      { TagKey: 'dcp-identity:instance', TagValue: config.instanceTag },
      { TagKey: 'dcp-identity:participant', TagValue: identity.participantId },
      { TagKey: 'dcp-identity:key', TagValue: identity.keyId },
      { TagKey: 'dcp-identity:usage', TagValue: identity.usages.join(' ') },
    ],
  })
}

function aliasName(identity: KeyIdentity, config: KmsConfig): string {
  return `${config.aliasPrefix}/${config.instanceTag}/${identity.participantId}/${identity.fragment}`
}

function kmsSigner(client: KMSClient, kmsKeyId: string, algorithm: KeyAlgorithm): Signer {
  if (algorithm === 'EdDSA') {
    return async (input) => {
      // NOTE: no KMS emulator supports ECC_NIST_EDWARDS25519, so this path has run only in its
      // request form. The signature is taken to be the 64-byte RFC 8032 encoding.
      if (input.length > maxRawMessageBytes) {
        throw new AppError(
          'ERR_KMS_REQUEST_FAILED',
          `aws-kms EdDSA keys sign at most ${maxRawMessageBytes} bytes; the signing input has ${input.length}`,
        )
      }
      const signature = await sign(client, kmsKeyId, input, 'RAW', 'ED25519_SHA_512')
      if (signature.length !== 64) {
        const reason = `KMS Sign returned ${signature.length} bytes; expected a 64-byte Ed25519 signature`
        throw new AppError('ERR_KMS_REQUEST_FAILED', reason)
      }
      return signature
    }
  }
  return async (input) => {
    // Past the RAW limit, the SHA-256 digest is signed instead, which yields the same ES256 signature.
    const signature =
      input.length <= maxRawMessageBytes
        ? await sign(client, kmsKeyId, input, 'RAW', 'ECDSA_SHA_256')
        : await sign(client, kmsKeyId, createHash('sha256').update(input).digest(), 'DIGEST', 'ECDSA_SHA_256')
    try {
      return derToJose(signature, 32)
    } catch (error) {
      if (error instanceof SignatureEncodingError) {
        throw new AppError('ERR_KMS_REQUEST_FAILED', `KMS Sign returned ${error.message}`, { cause: error })
      }
      throw error
    }
  }
}

async function sign(
  client: KMSClient,
  kmsKeyId: string,
  message: Uint8Array,
  messageType: 'RAW' | 'DIGEST',
  algorithm: 'ECDSA_SHA_256' | 'ED25519_SHA_512',
): Promise<Uint8Array> {
  const command = new SignCommand({
    KeyId: kmsKeyId,
    Message: message,
    MessageType: messageType,
    SigningAlgorithm: algorithm,
  })
  const output = await callKms('Sign', () => client.send(command))
  if (output.Signature === undefined) throw new AppError('ERR_KMS_REQUEST_FAILED', 'KMS Sign returned no signature')
  return output.Signature
}

async function scheduleDeletion(client: KMSClient, material: KeyMaterial, days: number): Promise<void> {
  if (material.kmsKeyId === null) return
  const command = new ScheduleKeyDeletionCommand({ KeyId: material.kmsKeyId, PendingWindowInDays: days })
  await callKms('ScheduleKeyDeletion', () => client.send(command))
}
