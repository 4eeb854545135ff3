import { Command } from 'commander'
import { digest } from '../participants/api-key-secret.js'
import { getParticipant } from '../storage/participant-repository.js'
import { getStsClient, replaceStsClientSecret, type StsClient } from '../storage/sts-client-repository.js'
import { generateClientSecret } from '../sts/client-secret.js'
import { AccessTokenKeys } from '../tokens/access-token-keys.js'
import { loadCommandConfig, printJson, printTable, withCliDatabase, type CliDatabase } from './cli-database.js'
import { exitCodes } from './exit-codes.js'

/** Lengths of a secret that `set-secret` accepts, as the admin API does. */
const secretLength = { min: 32, max: 512 }

/**
 * Builds `dcp-identity sts-client`: show a participant's STS client, rotate or set its secret,
 * and rotate the key of the access tokens its STS mints, on the database that `serve` uses. Each
 * change is audited with actor `cli`. A server running on the same database drops what it cached
 * of the client when PostgreSQL notifies it of the change.
 */
export function stsClientCommand(setExitCode: (code: number) => void): Command {
  const stsClient = new Command('sts-client')
    .description("Manage a participant's STS client. In embedded mode, stop the server first, because only one process can open the data folder.")
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
  const run = (work: (cli: CliDatabase) => Promise<number>) => async () => {
    setExitCode(await withCliDatabase(loadCommandConfig(), work))
  }

  stsClient
    .command('show')
    .description("Print a participant's STS client id and when its secret last changed")
    .argument('<participantId>', 'participant id')
    .option('--json', 'print the client as JSON')
    .action((participantId: string, options: { json?: boolean }) =>
      run(async ({ db }) => {
        printClient(await getStsClient(db, participantId), undefined, options.json)
        return exitCodes.ok
      })(),
    )

  stsClient
    .command('rotate-secret')
    .description('Generate a new client secret and print it once; the old one stops working')
    .argument('<participantId>', 'participant id')
    .option('--json', 'print the client with its new secret as JSON')
    .action((participantId: string, options: { json?: boolean }) =>
      run(async ({ audited }) => {
        const clientSecret = generateClientSecret()
        const client = await replaceSecret(audited, 'sts-client.rotate-secret', participantId, clientSecret)
        printClient(client, clientSecret, options.json)
        return exitCodes.ok
      })(),
    )

  stsClient
    .command('set-secret')
    .description(`Set the client secret to the one read from standard input, such as one kept in a vault (${secretLength.min} to ${secretLength.max} characters, one trailing newline removed)`)
    .argument('<participantId>', 'participant id')
    .option('--json', 'print the client as JSON')
    .action(async function (this: Command, participantId: string, options: { json?: boolean }) {
      // Read before the database opens, so a usage error leaves no audit row.
      const clientSecret = await readSecret(this)
      await run(async ({ audited }) => {
        const client = await replaceSecret(audited, 'sts-client.set-secret', participantId, clientSecret)
        printClient(client, undefined, options.json)
        return exitCodes.ok
      })()
    })

  stsClient
    .command('rotate-access-token-key')
    .description('Create a new key for the access tokens the STS mints; tokens of the key before it stay valid until they expire, older ones stop working')
    .argument('<participantId>', 'participant id')
    .option('--json', 'print the new key id as JSON')
    .action((participantId: string, options: { json?: boolean }) =>
      run(async ({ config, db, audited }) => {
        const accessTokenKeys = new AccessTokenKeys({ db, ttlSeconds: config.keys.cacheTtlSeconds })
        const spec = {
          action: 'sts-client.rotate-access-token-key',
          target: `sts-client:${participantId}`,
          participantId,
          resultDetail: (key: unknown) => ({ newKeyId: (key as { id: string }).id }),
        }
        const key = await audited(spec)(async (tx) => {
          await getParticipant(tx, participantId)
          return accessTokenKeys.rotate(participantId, tx)
        })
        const rotated = { participantId, keyId: key.id, createdAt: key.createdAt.toISOString() }
        if (options.json) printJson(rotated)
        else printTable(['PARTICIPANT', 'KEY ID', 'CREATED'], [[rotated.participantId, rotated.keyId, rotated.createdAt]])
        return exitCodes.ok
      })(),
    )

  return stsClient
}

/** Stores the digest of a participant's new client secret, audited under `action`. */
function replaceSecret(audited: CliDatabase['audited'], action: string, participantId: string, clientSecret: string): Promise<StsClient> {
  const spec = { action, target: `sts-client:${participantId}`, participantId }
  return audited(spec)((tx) => replaceStsClientSecret(tx, participantId, digest(clientSecret)))
}

/**
 * Reads the secret from standard input. It never comes from an argument, because arguments show
 * in the process list and the shell history.
 */
async function readSecret(command: Command): Promise<string> {
  if (process.stdin.isTTY) {
    command.error('error: pipe the secret into standard input, such as `vault kv get -field=secret ... | dcp-identity sts-client set-secret ID`', {
      exitCode: exitCodes.usage,
      code: 'dcp-identity.usage',
    })
  }
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  const secret = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
  if (secret.length < secretLength.min || secret.length > secretLength.max) {
    command.error(`error: the secret on standard input has ${secret.length} characters; expected ${secretLength.min} to ${secretLength.max}`, {
      exitCode: exitCodes.usage,
      code: 'dcp-identity.usage',
    })
  }
  return secret
}

function printClient(client: StsClient, clientSecret: string | undefined, json: boolean | undefined): void {
  const fields = {
    participantId: client.participantId,
    clientId: client.clientId,
    createdAt: client.createdAt.toISOString(),
    rotatedAt: client.rotatedAt?.toISOString() ?? null,
    ...(clientSecret === undefined ? {} : { clientSecret }),
  }
  if (json) {
    printJson(fields)
    return
  }
  const header = ['PARTICIPANT', 'CLIENT ID', 'CREATED', 'SECRET CHANGED', ...(clientSecret === undefined ? [] : ['CLIENT SECRET'])]
  const row = [fields.participantId, fields.clientId, fields.createdAt, fields.rotatedAt ?? '-', ...(clientSecret === undefined ? [] : [clientSecret])]
  printTable(header, [row])
}
