import { Command, Option } from 'commander'
import type { Config } from '../config/config.js'
import { HostedDidLookup } from '../did/hosted-did-lookup.js'
import { DidResolver } from '../did/resolver.js'
import type { CredentialRequestService } from '../holder/credential-request-service.js'
import { createCredentialRequestService } from '../holder/credential-request-tasks.js'
import { openKeyStore } from '../keys/key-store.js'
import { listCredentialRequests, type CredentialRequest, type CredentialRequestState } from '../storage/credential-request-repository.js'
import { getParticipant } from '../storage/participant-repository.js'
import { loadCommandConfig, printJson, printTable, withCliDatabase, type CliDatabase } from './cli-database.js'
import { exitCodes } from './exit-codes.js'

interface CredentialsContext extends CliDatabase {
  service: CredentialRequestService
}

const requestStates: CredentialRequestState[] = ['pending', 'requested', 'issued', 'rejected', 'error']

/**
 * Builds `dcp-identity credentials`: request credentials for a participant from an issuer, and
 * list its requests, on the database that `serve` uses. A request that the issuer cannot take
 * yet stays pending, and a running server sends it again.
 */
export function credentialsCommand(setExitCode: (code: number) => void): Command {
  const credentials = new Command('credentials')
    .description('Request credentials from issuers for a participant that holds them. In embedded mode, stop the server first, because only one process can open the data folder.')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
  const run = (work: (context: CredentialsContext) => Promise<number>) => async () => {
    setExitCode(await withService(loadCommandConfig(), work))
  }

  credentials
    .command('request')
    .description("Send a CredentialRequestMessage to the issuer's Issuer Service and print the stored request")
    .requiredOption('--participant <id>', 'id of the participant that requests and holds the credentials')
    .requiredOption('--issuer <did>', 'DID of the issuer')
    .option('--type <type...>', "credential type, matched against the issuer metadata's credentialType (repeatable)")
    .option('--credential-id <id...>', 'id of a CredentialObject in the issuer metadata (repeatable)')
    .option('--json', 'print the request as JSON')
    .action(async function (this: Command, options: { participant: string; issuer: string; type?: string[]; credentialId?: string[]; json?: boolean }) {
      if ((options.type === undefined) === (options.credentialId === undefined)) {
        this.error('error: give either --type or --credential-id', { exitCode: exitCodes.usage, code: 'dcp-identity.usage' })
      }
      await run(async ({ db, service, audited }) => {
        const input = {
          issuerDid: options.issuer,
          credentialTypes: [...new Set(options.type ?? [])],
          credentialObjectIds: [...new Set(options.credentialId ?? [])],
        }
        const spec = {
          action: 'credential-request.create',
          target: `issuer:${options.issuer}`,
          participantId: options.participant,
          detail: { ...input },
          resultDetail: (result: unknown) => ({ requestId: (result as CredentialRequest).id }),
        }
        const participant = await getParticipant(db, options.participant)
        // The issuer is called outside the audit transaction, which then only records the outcome.
        const outcome = await service.create(participant, input).then(
          (request) => () => request,
          (error: unknown) => () => {
            throw error
          },
        )
        const request = await audited(spec)(async () => outcome())
        printRequests(request, options.json)
        return exitCodes.ok
      })()
    })

  credentials
    .command('requests')
    .description("List a participant's credential requests, newest first")
    .requiredOption('--participant <id>', 'participant id')
    .addOption(new Option('--state <state>', 'only requests in this state').choices(requestStates))
    .option('--limit <count>', 'maximum number of requests', (raw) => Number.parseInt(raw, 10), 100)
    .option('--json', 'print the requests as JSON')
    .action((options: { participant: string; state?: CredentialRequestState; limit: number; json?: boolean }) =>
      run(async ({ db }) => {
        await getParticipant(db, options.participant)
        const requests = await listCredentialRequests(db, {
          participantId: options.participant,
          limit: options.limit,
          ...(options.state ? { state: options.state } : {}),
        })
        printRequests(requests, options.json)
        return exitCodes.ok
      })(),
    )

  return credentials
}

/** Opens the migrated database, the key store and a resolver for this instance's DIDs, runs the work, and closes them. */
function withService(config: Config, work: (context: CredentialsContext) => Promise<number>): Promise<number> {
  return withCliDatabase(config, async (cli) => {
    const store = openKeyStore(config, cli.db, cli.logger)
    try {
      const hostedDids = new HostedDidLookup(cli.db, config.publicBaseUrl, config.keys.cacheTtlSeconds)
      const resolver = new DidResolver({ config: config.did, localDocuments: hostedDids.documentOf, logger: cli.logger })
      const service = createCredentialRequestService(config, cli.db, store.keyManager, resolver, cli.logger)
      return await work({ ...cli, service })
    } finally {
      store.close()
    }
  })
}

/** Prints one request, or the requests of a list, which as JSON is an array even of one request. */
function printRequests(printed: CredentialRequest | CredentialRequest[], json: boolean | undefined): void {
  if (json) {
    printJson(printed)
    return
  }
  const requests = Array.isArray(printed) ? printed : [printed]
  const header = ['ID', 'STATE', 'ISSUER', 'CREDENTIALS', 'ATTEMPTS', 'LAST ERROR', 'CREATED']
  const rows = requests.map((request) => [
    request.id,
    request.state,
    request.issuerDid,
    (request.credentialTypes.length > 0 ? request.credentialTypes : request.credentialObjectIds).join(','),
    String(request.attempts),
    request.rejectionReason ?? request.lastError ?? '-',
    request.createdAt.toISOString(),
  ])
  printTable(header, rows)
}
