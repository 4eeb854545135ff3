import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { exitCodes } from '../cli/exit-codes.js'
import { loadConfig } from '../config/config.js'
import { createLogger } from '../observability/logger.js'
import { startServer, type RunningServer } from '../server.js'
import { demoDataSpace, demoSeed, type DemoDataSpace } from './demo-data-space.js'
import { DemoReport } from './demo-report.js'
import { runDemoScenario } from './demo-scenario.js'

export interface DemoOptions {
  port: number
  json: boolean
  exit: boolean
  /** Issuers the demo's connectors trust; unset: the demo's authority. */
  trustedIssuers?: string[]
  logLevel: string
}

/**
 * Runs a whole data space on this machine: one service on the embedded database with local keys
 * hosts the authority and two companies, and the demo plays their connectors over HTTP. Resolves
 * to the exit code when `exit` is set; otherwise it keeps serving until SIGINT or SIGTERM.
 */
export async function demoCommand(options: DemoOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const space = demoDataSpace(options.port)
  const dataDir = mkdtempSync(join(tmpdir(), 'dcp-identity-demo-'))
  const report = new DemoReport({ out, json: options.json })
  let server: RunningServer | undefined
  // Ctrl-C before the report is done would skip the cleanup below and leave the data folder,
  // secrets included, in the temporary folder.
  const abort = (signal: NodeJS.Signals) => {
    void (server?.close() ?? Promise.resolve()).finally(() => {
      rmSync(dataDir, { recursive: true, force: true })
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
  process.once('SIGINT', abort)
  process.once('SIGTERM', abort)
  try {
    const clientSecrets: Record<string, string> = {}
    const secretFiles: Record<string, string> = {}
    for (const company of [space.companyX, space.companyY]) {
      clientSecrets[company.id] = randomBytes(32).toString('base64url')
      secretFiles[company.id] = join(dataDir, `${company.id}-sts-secret`)
      writeFileSync(secretFiles[company.id]!, clientSecrets[company.id]!, { mode: 0o600 })
    }
    const seedFile = join(dataDir, 'seed.yaml')
    writeFileSync(seedFile, stringify(demoSeed(space, secretFiles)))
    const adminToken = randomBytes(32).toString('base64url')
    writeFileSync(join(dataDir, 'admin-token'), `${adminToken}\n`, { mode: 0o600 })

    const config = loadConfig({
      PUBLIC_HOST: 'localhost',
      PUBLIC_PORT: String(options.port),
      INTERNAL_PORT: String(options.port + 1),
      PUBLIC_BASE_URL: space.origin,
      DATA_DIR: dataDir,
      ADMIN_TOKEN: adminToken,
      MASTER_KEY: randomBytes(32).toString('hex'),
      SEED_FILE: seedFile,
      DID_WEB_HTTP_HOSTS: `localhost:${options.port}`,
      LOG_LEVEL: options.logLevel,
    })
    printHeader(report, space, dataDir)
    const logger = createLogger(config.logLevel, process.stderr)
    try {
      server = await startServer(config, { logger })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        report.line(`Port ${options.port} or ${options.port + 1} is in use; choose others with --port.`)
        return exitCodes.failure
      }
      throw error
    }
    await runDemoScenario({
      space,
      report,
      service: { internalUrl: server.internalUrl, adminToken, clientSecrets },
      trustedIssuers: options.trustedIssuers ?? [space.authority.did],
    })
    process.off('SIGINT', abort)
    process.off('SIGTERM', abort)
    if (options.exit) {
      report.finish()
      return report.ok ? exitCodes.ok : exitCodes.failure
    }
    report.finish()
    printServing(options.json ? process.stderr : out, space, server, dataDir)
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'))
      process.once('SIGTERM', () => resolve('SIGTERM'))
    })
    logger.info({ signal }, 'signal received: stopping the demo')
    return report.ok ? exitCodes.ok : exitCodes.failure
  } finally {
    process.off('SIGINT', abort)
    process.off('SIGTERM', abort)
    await server?.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

function printHeader(report: DemoReport, space: DemoDataSpace, dataDir: string): void {
  report.line(`dcp-identity demo: a data space on ${space.origin}`)
  report.line(`  one service hosts the authority, Company X and Company Y on an embedded database in ${dataDir}`)
  report.line(`  did:web documents are fetched over http for localhost:${space.origin.split(':').pop()} only (DID_WEB_HTTP_HOSTS),`)
  report.line('  because a local demo has no TLS certificate; every other DID resolves over https only')
  report.line()
}

function printServing(out: NodeJS.WritableStream, space: DemoDataSpace, server: RunningServer, dataDir: string): void {
  const write = (text = '') => out.write(`${text}\n`)
  const x = space.companyX
  write()
  write('The data space keeps running. Try it:')
  for (const party of [space.authority, space.companyX, space.companyY]) write(`  DID document of ${party.id}:  curl -s ${space.origin}/${party.id}/did.json`)
  write(`  Admin API docs:  ${server.internalUrl}/docs  (admin token in ${join(dataDir, 'admin-token')})`)
  write(`  An SI token from ${x.name}'s STS for Company Y, with an access token for membership:`)
  write(`    curl -s ${server.internalUrl}/sts/token -d grant_type=client_credentials \\`)
  // A DID with a port contains %3A, which a form decodes to a colon unless it is URL-encoded.
  write(`      --data-urlencode client_id=${x.did} -d client_secret=$(cat ${join(dataDir, `${x.id}-sts-secret`)}) \\`)
  write(`      --data-urlencode audience=${space.companyY.did} -d bearer_access_scope=org.eclipse.tractusx.vc.type:MembershipCredential:read`)
  write(`  Issued credentials:  curl -s -H "Authorization: Bearer $(cat ${join(dataDir, 'admin-token')})" \\`)
  write(`    ${server.internalUrl}/v1/participants/${space.authority.id}/issuer/issued-credentials`)
  write('Stop with Ctrl-C; the demo then deletes its data folder.')
}
