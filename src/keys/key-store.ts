import type { KMSClient, KMSClientConfig } from '@aws-sdk/client-kms'
import type { Config } from '../config/config.js'
import type { Logger } from '../observability/logger.js'
import type { Database } from '../storage/database.js'
import { availableCustodies, checkKeyStores, createCustodians } from './custodians.js'
import { createKeyManager, type KeyManager } from './key-manager.js'
import { createKmsClient } from './kms-client.js'
import { resolveMasterKey } from './master-key.js'

/** The key manager of a process with the resources it keeps open. */
export interface KeyStore {
  keyManager: KeyManager
  /** The KMS client, when a KMS region is configured. */
  kmsClient: KMSClient | undefined
  /** Readiness check of the master key and, when configured, KMS. */
  check(): Promise<void>
  close(): void
}

export interface KeyStoreOptions {
  /** Settings of the KMS client beyond the configuration, such as test credentials. */
  kmsClientOverrides?: Partial<KMSClientConfig>
  now?: () => number
}

/**
 * Builds the key manager from the configuration: the master key (generated in embedded mode
 * when missing), the KMS client when a region is configured, and a custodian per usable mode.
 */
export function openKeyStore(config: Config, db: Database, logger: Logger, options: KeyStoreOptions = {}): KeyStore {
  const masterKey = resolveMasterKey(config, logger)
  const kmsClient: KMSClient | undefined = config.keys.kms && createKmsClient(config.keys.kms, options.kmsClientOverrides)
  const resources = { config: config.keys, logger, masterKey, kmsClient }
  const custodians = createCustodians(resources)
  logger.info(
    { defaultCustody: config.keys.defaultCustody, available: availableCustodies(custodians), kmsEndpoint: config.keys.kms?.endpoint },
    'key store opened',
  )
  const keyManager = createKeyManager({
    db,
    custodians,
    defaultCustody: config.keys.defaultCustody,
    logger,
    cacheTtlSeconds: config.keys.cacheTtlSeconds,
    ...(options.now ? { now: options.now } : {}),
  })
  return {
    keyManager,
    kmsClient,
    check: () => checkKeyStores(resources),
    close: () => kmsClient?.destroy(),
  }
}
