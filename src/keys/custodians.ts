import { DescribeKeyCommand, ListKeysCommand, type KMSClient } from '@aws-sdk/client-kms'
import type { KeyConfig } from '../config/key-variables.js'
import { AppError } from '../errors/app-error.js'
import type { Logger } from '../observability/logger.js'
import { open, seal } from './aes-gcm.js'
import { awsKmsCustodian } from './aws-kms-custodian.js'
import type { Custodian } from './custodian.js'
import { keyCustodies, type KeyCustody } from './key.js'
import { callKms } from './kms-errors.js'
import { kmsEnvelopeCustodian } from './kms-envelope-custodian.js'
import { localCustodian } from './local-custodian.js'

/** Each custody mode with its custodian, or the reason it is unavailable in this configuration. */
export type Custodians = Record<KeyCustody, Custodian | { unavailable: string }>

export interface CustodyResources {
  config: KeyConfig
  logger: Logger
  masterKey?: Buffer | undefined
  kmsClient?: KMSClient | undefined
}

export function createCustodians({ config, logger, masterKey, kmsClient }: CustodyResources): Custodians {
  const noKms = { unavailable: 'no KMS region is configured; set KMS_REGION or AWS_REGION' }
  const envelopeKeyId = config.kms?.envelopeKeyId
  return {
    local: masterKey ? localCustodian(masterKey) : { unavailable: 'no master key is configured; set MASTER_KEY or MASTER_KEY_FILE' },
    'aws-kms': kmsClient && config.kms ? awsKmsCustodian(kmsClient, config.kms, logger) : noKms,
    'kms-envelope':
      kmsClient === undefined
        ? noKms
        : envelopeKeyId === undefined
          ? { unavailable: 'no envelope key is configured; set KMS_ENVELOPE_KEY_ID' }
          : kmsEnvelopeCustodian(kmsClient, envelopeKeyId),
  }
}

/** Returns the custodian of a custody mode, or raises ERR_KEY_CUSTODY_UNAVAILABLE with the missing setting. */
export function custodianFor(custodians: Custodians, custody: KeyCustody): Custodian {
  const custodian = custodians[custody]
  if ('unavailable' in custodian) {
    throw new AppError('ERR_KEY_CUSTODY_UNAVAILABLE', `key custody "${custody}" is unavailable: ${custodian.unavailable}`)
  }
  return custodian
}

/**
 * Checks that the configured key stores work, for readiness: the master key encrypts and
 * decrypts, and KMS responds to a cheap call (DescribeKey of the envelope key, else ListKeys).
 * KMS is called only when a KMS region is configured.
 */
export async function checkKeyStores(resources: CustodyResources): Promise<void> {
  const { masterKey, kmsClient, config } = resources
  if (masterKey !== undefined) {
    const probe = Buffer.from('readiness')
    if (!open(masterKey, seal(masterKey, probe, 'readiness'), 'readiness').equals(probe)) {
      throw new Error('the master key failed an encryption round trip')
    }
  }
  if (kmsClient === undefined) return
  const envelopeKeyId = config.kms?.envelopeKeyId
  if (envelopeKeyId !== undefined) {
    await callKms('DescribeKey', () => kmsClient.send(new DescribeKeyCommand({ KeyId: envelopeKeyId })))
  } else {
    await callKms('ListKeys', () => kmsClient.send(new ListKeysCommand({ Limit: 1 })))
  }
}

/** Custody modes usable in this configuration, for logs and help. */
export function availableCustodies(custodians: Custodians): KeyCustody[] {
  return keyCustodies.filter((custody) => !('unavailable' in custodians[custody]))
}
