import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms'
import { loadConfig, type Environment } from '../../src/config/config.js'
import { openKeyStore, type KeyStore } from '../../src/keys/key-store.js'
import { createLogger } from '../../src/observability/logger.js'
import type { Participant, ParticipantRole } from '../../src/participants/participant.js'
import type { Database } from '../../src/storage/database.js'
import { migrate } from '../../src/storage/migrate.js'
import { insertParticipant } from '../../src/storage/participant-repository.js'
import { testMasterKey } from './server.js'

interface Teardown {
  teardown(fn: () => unknown): void
}

/** Static credentials for the emulator, so the SDK's default chain never looks for real ones. */
export const kmsTestCredentials = { accessKeyId: 'test', secretAccessKey: 'test' }

/**
 * The KMS emulator endpoint from KMS_TEST_ENDPOINT (`.ci/start-kms.sh` starts one). In CI a
 * missing endpoint fails the test file; elsewhere the KMS tests are skipped with the reason.
 */
export function kmsTestEndpoint(): { endpoint: string; skip: false } | { endpoint: undefined; skip: string } {
  const endpoint = process.env.KMS_TEST_ENDPOINT
  if (!endpoint) {
    const reason = 'KMS_TEST_ENDPOINT is not set; run `bash .ci/start-kms.sh` and export the endpoint it prints'
    if (process.env.CI) throw new Error(`KMS tests cannot run in CI: ${reason}`)
    return { endpoint: undefined, skip: reason }
  }
  const host = new URL(endpoint).hostname
  // The tests create and delete keys, so they must never reach anything but a local emulator.
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`KMS_TEST_ENDPOINT must be a loopback URL; got "${endpoint}"`)
  }
  return { endpoint, skip: false }
}

/** Environment that points the service's KMS client at the emulator. */
export function kmsEnvironment(endpoint: string, extra: Environment = {}): Environment {
  return {
    KMS_REGION: 'us-east-1',
    KMS_ENDPOINT: endpoint,
    KMS_TIMEOUT_MS: '5000',
    KMS_MAX_ATTEMPTS: '2',
    KMS_INSTANCE_TAG: 'dcp-identity-test',
    ...extra,
  }
}

export function testKmsClient(t: Teardown, endpoint: string): KMSClient {
  const client = new KMSClient({ region: 'us-east-1', endpoint, credentials: kmsTestCredentials })
  t.teardown(() => client.destroy())
  return client
}

/** Creates a symmetric key in the emulator to encrypt kms-envelope private keys. */
export async function createEnvelopeKey(client: KMSClient): Promise<string> {
  const created = await client.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }))
  return created.KeyMetadata!.Arn!
}

/** Opens a key store over a migrated database with the test master key and the given settings. */
export async function openTestKeyStore(
  t: Teardown,
  db: Database,
  env: Environment = {},
  options: { now?: () => number } = {},
): Promise<KeyStore> {
  await migrate(db)
  const config = loadConfig({ MASTER_KEY: testMasterKey, LOG_LEVEL: 'silent', ...env })
  const store = openKeyStore(config, db, createLogger('silent'), {
    kmsClientOverrides: { credentials: kmsTestCredentials },
    ...(options.now ? { now: options.now } : {}),
  })
  t.teardown(() => store.close())
  return store
}

export async function addParticipant(
  db: Database,
  id: string,
  options: { did?: string; roles?: ParticipantRole[] } = {},
): Promise<Participant> {
  return insertParticipant(db, {
    id,
    did: options.did ?? `did:web:localhost%3A8080:${id}`,
    displayName: id,
    roles: options.roles ?? ['holder'],
  })
}

/** Runs `promise` and returns what it rejected with, or undefined when it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  return undefined
}

export interface RecordedCall {
  command: string
  input: Record<string, unknown>
}

/** Records every command the client sends, before it is sent. */
export function recordKmsCalls(client: KMSClient): RecordedCall[] {
  const calls: RecordedCall[] = []
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push({ command: String(context.commandName), input: args.input as Record<string, unknown> })
      return next(args)
    },
    { step: 'initialize', name: 'recordKmsCalls' },
  )
  return calls
}
