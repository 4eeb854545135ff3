import { Command, Option } from 'commander'
import type { Config } from '../config/config.js'
import type { ChangeOptions, KeyManager } from '../keys/key-manager.js'
import { openKeyStore } from '../keys/key-store.js'
import { keyAlgorithms, keyCustodies, keyUsages, type KeyAlgorithm, type KeyCustody, type KeyUsage, type ParticipantKey } from '../keys/key.js'
import type { AuditSpec } from '../storage/audited-transaction.js'
import { loadCommandConfig, printJson, printTable, withCliDatabase } from './cli-database.js'
import { exitCodes } from './exit-codes.js'

interface KeyCommandContext {
  keyManager: KeyManager
  /** Change options whose transaction writes an audit row with actor `cli`. */
  audited(spec: AuditSpec): ChangeOptions
}

/**
 * Builds `dcp-identity keys`: create, list, rotate and revoke signing keys on the database
 * that `serve` uses, with the same configuration. Each change is audited with actor `cli`.
 * `setExitCode` receives the exit code of the subcommand that ran.
 */
export function keysCommand(setExitCode: (code: number) => void): Command {
  const keys = new Command('keys')
    .description('Manage signing keys of participants. In embedded mode, stop the server first, because only one process can open the data folder.')
    .showHelpAfterError('(add --help for usage)')
    // Subcommands made with .command() copy this, so usage errors reach main() instead of exiting.
    .exitOverride()
  const run = (work: (context: KeyCommandContext) => Promise<void>) => async () => {
    setExitCode(await withKeys(loadCommandConfig(), work))
  }

  keys
    .command('create')
    .description('Create a key; it becomes the default for each of its usages that has none')
    .argument('<participantId>', 'participant id')
    .addOption(new Option('--usage <usage...>', 'what the key signs (repeatable)').choices(keyUsages).makeOptionMandatory())
    .addOption(new Option('--algorithm <algorithm>', 'JWS algorithm').choices(keyAlgorithms).default('ES256'))
    .addOption(new Option('--custody <custody>', 'where the private key lives (default: KEY_CUSTODY)').choices(keyCustodies))
    .option('--json', 'print the key as JSON')
    .action((participantId: string, options: { usage: KeyUsage[]; algorithm: KeyAlgorithm; custody?: KeyCustody; json?: boolean }) =>
      run(async ({ keyManager, audited }) => {
        const request = { usages: options.usage, algorithm: options.algorithm, ...(options.custody ? { custody: options.custody } : {}) }
        const spec = {
          action: 'key.create',
          target: `participant:${participantId}`,
          participantId,
          detail: { ...request },
          resultDetail: (key: unknown) => ({ keyId: (key as ParticipantKey).id }),
        }
        printKeys(await keyManager.create(participantId, request, audited(spec)), options.json)
      })(),
    )

  keys
    .command('list')
    .description("List a participant's keys, oldest first")
    .argument('<participantId>', 'participant id')
    .option('--include-revoked', 'include revoked keys')
    .option('--json', 'print the keys as JSON')
    .action((participantId: string, options: { includeRevoked?: boolean; json?: boolean }) =>
      run(async ({ keyManager }) => {
        printKeys(await keyManager.list(participantId, { includeRevoked: options.includeRevoked === true }), options.json)
      })(),
    )

  keys
    .command('rotate')
    .description('Replace an active key by a new default key; the old key stays in the DID document')
    .argument('<participantId>', 'participant id')
    .argument('<keyId>', 'id of the key to rotate')
    .option('--json', 'print the new key as JSON')
    .action((participantId: string, keyId: string, options: { json?: boolean }) =>
      run(async ({ keyManager, audited }) => {
        const spec = {
          action: 'key.rotate',
          target: `key:${keyId}`,
          participantId,
          resultDetail: (key: unknown) => ({ newKeyId: (key as ParticipantKey).id }),
        }
        printKeys(await keyManager.rotate(participantId, keyId, audited(spec)), options.json)
      })(),
    )

  keys
    .command('revoke')
    .description('Revoke a key: it leaves the DID document at once and its private part is destroyed')
    .argument('<participantId>', 'participant id')
    .argument('<keyId>', 'id of the key to revoke')
    .option('--json', 'print the key as JSON')
    .action((participantId: string, keyId: string, options: { json?: boolean }) =>
      run(async ({ keyManager, audited }) => {
        const spec = { action: 'key.revoke', target: `key:${keyId}`, participantId }
        printKeys(await keyManager.revoke(participantId, keyId, audited(spec)), options.json)
      })(),
    )

  return keys
}

/** Opens the migrated database and the key store, runs the work, and closes both. */
function withKeys(config: Config, work: (context: KeyCommandContext) => Promise<void>): Promise<number> {
  return withCliDatabase(config, async ({ db, logger, audited }) => {
    const store = openKeyStore(config, db, logger)
    try {
      await work({ keyManager: store.keyManager, audited: (spec) => ({ transaction: audited(spec) }) })
      return exitCodes.ok
    } finally {
      store.close()
    }
  })
}

/** Prints one key, or the keys of a list, which as JSON is an array even of one key. */
function printKeys(printed: ParticipantKey | ParticipantKey[], json: boolean | undefined): void {
  if (json) {
    printJson(printed)
    return
  }
  const keys = Array.isArray(printed) ? printed : [printed]
  const header = ['ID', 'FRAGMENT', 'ALGORITHM', 'CUSTODY', 'STATE', 'USAGES', 'DEFAULT FOR', 'CREATED']
  const rows = keys.map((key) => [
    key.id,
    key.fragment,
    key.algorithm,
    key.custody,
    key.state,
    key.usages.join(','),
    key.defaultFor.join(',') || '-',
    key.createdAt.toISOString(),
  ])
  printTable(header, rows)
}
