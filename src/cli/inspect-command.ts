import { readFileSync } from 'node:fs'
import { Command } from 'commander'
import { loadConfig, type Config } from '../config/config.js'
import { hostList } from '../config/did-variables.js'
import type { HostRule } from '../did/host-allow-list.js'
import { HostAllowList } from '../did/host-allow-list.js'
import { DidResolver } from '../did/resolver.js'
import { StatusListClient } from '../holder/status/status-list-client.js'
import { formatInspection } from '../inspect/format-inspection.js'
import type { InspectContext, InspectedParticipant } from '../inspect/inspect-context.js'
import { inspectInput } from '../inspect/inspect-input.js'
import type { Database } from '../storage/database.js'
import { openDatabase } from '../storage/open-database.js'
import { findParticipant } from '../storage/participant-repository.js'
import { listTrustedIssuers } from '../storage/trusted-issuer-repository.js'
import { AccessTokenKeys } from '../tokens/access-token-keys.js'
import { exitCodes } from './exit-codes.js'

interface InspectOptions {
  audience?: string
  holder?: string
  trustedIssuer: string[]
  participant?: string
  allowHttpHost: string[]
  json?: boolean
}

/**
 * Builds `dcp-identity inspect`: decodes a token, presentation, credential, DID or status list
 * URL and runs the checks the service applies to it, so an operator can tell why a peer
 * rejected it. `setExitCode` receives 0 when every check passed and 1 otherwise.
 */
export function inspectCommand(setExitCode: (code: number) => void): Command {
  return new Command('inspect')
    .description(
      'Decode a Self-Issued ID token, access token, VP or VC (JWT), a DID, a did.json URL or a status list URL, and check it with the rules the service applies. Exit code 0 when every check passes, 1 when one fails.',
    )
    .argument('<input>', 'JWT, DID or URL; "-" reads it from standard input')
    .option('--audience <did>', 'DID the token or presentation must be addressed to')
    .option('--holder <did>', 'DID a credential must be issued to')
    .option('--trusted-issuer <did>', 'issuer DID to trust for every credential type (repeatable)', collect, [])
    .option('--participant <id>', 'check as this participant of the database at DATABASE_URL: access tokens minted here, replayed jti, trusted issuers')
    .option('--allow-http-host <host>', 'host or host:port whose DID documents and status lists may be fetched over http from a private address, like DID_WEB_HTTP_HOSTS (repeatable)', collect, [])
    .option('--json', 'print one JSON object {kind, ok, checks, notes, decoded}')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .action(async (input: string, options: InspectOptions, command: Command) => {
      setExitCode(await runInspect(command, readInput(input), options))
    })
}

async function runInspect(command: Command, input: string, options: InspectOptions): Promise<number> {
  const config = loadConfig()
  const allowedHosts = parseHosts(command, options.allowHttpHost)
  if (options.participant !== undefined && config.database.kind !== 'postgres') {
    command.error('--participant needs DATABASE_URL, the PostgreSQL database of the service', { exitCode: exitCodes.usage, code: 'inspect.database' })
  }
  const db = options.participant === undefined ? undefined : await openDatabase(config.database)
  try {
    const local = db === undefined ? undefined : await loadParticipant(db, options.participant!)
    if (db !== undefined && local === undefined) {
      process.stderr.write(`dcp-identity: participant ${JSON.stringify(options.participant)} not found in the database at DATABASE_URL\n`)
      return exitCodes.failure
    }
    const context = buildContext(config, allowedHosts, options, local)
    const inspection = await inspectInput(input, context)
    process.stdout.write(options.json ? `${JSON.stringify(inspection, null, 2)}\n` : formatInspection(inspection))
    return inspection.ok ? exitCodes.ok : exitCodes.failure
  } finally {
    await db?.close()
  }
}

function buildContext(config: Config, allowedHosts: HostRule[], options: InspectOptions, local: InspectedParticipant | undefined): InspectContext {
  // The cache would only hold documents of this one run, so nothing is kept past it.
  const did = { ...config.did, cacheTtlSeconds: 0, cacheNegativeTtlSeconds: 0 }
  const resolver = new DidResolver({ config: did, allowedHosts })
  const statusLists = new StatusListClient({
    config: config.statusLists,
    resolver,
    fetchOptions: {
      allowList: new HostAllowList([...config.did.httpHosts, ...allowedHosts]),
      maxRedirects: config.did.maxRedirects,
      timeoutMs: config.did.resolveTimeoutMs,
    },
  })
  return {
    resolver,
    statusLists,
    nowMs: Date.now(),
    leewaySeconds: config.tokens.clockLeewaySeconds,
    ...(options.audience === undefined ? {} : { audience: options.audience }),
    ...(options.holder === undefined ? {} : { holder: options.holder }),
    trustedIssuerDids: options.trustedIssuer,
    ...(local === undefined ? {} : { local }),
  }
}

/** Reads the participant, its public keys and its trusted issuers, without writing to the database. */
async function loadParticipant(db: Database, participantId: string): Promise<InspectedParticipant | undefined> {
  const participant = await findParticipant(db, participantId)
  if (participant === undefined) return undefined
  return {
    participant,
    db,
    accessTokenKeys: new AccessTokenKeys({ db, ttlSeconds: 60 }),
    trustedIssuers: await listTrustedIssuers(db, participantId),
  }
}

function parseHosts(command: Command, entries: string[]): HostRule[] {
  try {
    return entries.flatMap((entry) => hostList(entry))
  } catch (error) {
    command.error(`--allow-http-host: ${(error as Error).message}`, { exitCode: exitCodes.usage, code: 'inspect.host' })
  }
}

function readInput(input: string): string {
  return input === '-' ? readFileSync(0, 'utf8').trim() : input
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}
