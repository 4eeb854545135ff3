import { Command, CommanderError, InvalidArgumentError } from 'commander'
import { ConfigError, loadConfig } from '../config/config.js'
import { demoCommand } from '../demo/demo-command.js'
import { renderVariablesTable } from '../config/render-table.js'
import { SeedError } from '../seed/load-seed.js'
import { MigrationError } from '../storage/migrate.js'
import { exitCodes } from './exit-codes.js'
import { inspectCommand } from './inspect-command.js'
import { credentialsCommand } from './credentials-command.js'
import { keysCommand } from './keys-command.js'
import { migrateCommand } from './migrate-command.js'
import { seedCommand } from './seed-command.js'
import { serveCommand } from './serve-command.js'
import { stsClientCommand } from './sts-client-command.js'

/** Runs the `dcp-identity` CLI and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = exitCodes.ok
  const program = new Command('dcp-identity')
    .description('Identity side of the Eclipse Decentralized Claims Protocol: DID host, STS, Credential Service, Issuer Service.')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `\nConfiguration comes from environment variables; the README lists them.\nExit codes: 0 success, 1 failure, 64 usage error, 78 invalid configuration.`,
    )

  program
    .command('serve')
    .description('Start the public and internal listeners; migrates the database first. Stops on SIGTERM or SIGINT.')
    .action(async () => {
      exitCode = await serveCommand(loadConfig())
    })

  program
    .command('demo')
    .description(
      'Run a whole data space on this machine: an authority and two companies on the embedded database; the companies obtain credentials over DCP, authenticate each other as their connectors would, and a revoked membership is rejected.',
    )
    .option('--port <port>', 'public port on localhost; the internal listener takes the next one', parsePort, 8080)
    .option('--json', 'end the output with one JSON line: {"ok", "steps": [{"name", "ok", "detail"}]}', false)
    .option('--exit', 'exit after the report, with 0 only when every step turned out as expected', false)
    .option('--trusted-issuer <did...>', "issuers the demo's connectors trust (default: the demo's authority)")
    .option('--log-level <level>', 'level of the service log on standard error', 'warn')
    .action(async (options: { port: number; json: boolean; exit: boolean; trustedIssuer?: string[]; logLevel: string }) => {
      exitCode = await demoCommand({
        port: options.port,
        json: options.json,
        exit: options.exit,
        logLevel: options.logLevel,
        ...(options.trustedIssuer ? { trustedIssuers: options.trustedIssuer } : {}),
      })
    })

  program
    .command('migrate')
    .description('Apply pending database migrations and exit. Safe to run from several replicas at once.')
    .action(async () => {
      exitCode = await migrateCommand(loadConfig())
    })

  program.addCommand(
    keysCommand((code) => {
      exitCode = code
    }),
  )

  program.addCommand(
    stsClientCommand((code) => {
      exitCode = code
    }),
  )

  program.addCommand(
    inspectCommand((code) => {
      exitCode = code
    }),
  )

  program
    .command('seed')
    .description('Apply a YAML or JSON seed file of participants, keys, services, STS clients and trusted issuers. Applying it twice changes nothing.')
    .argument('<file>', 'seed file')
    .action(async (file: string) => {
      exitCode = await seedCommand(loadConfig(), file)
    })

  program.addCommand(
    credentialsCommand((code) => {
      exitCode = code
    }),
  )

  program
    .command('config')
    .description('Print every environment variable with its default, unit and meaning, as a Markdown table.')
    .action(() => {
      process.stdout.write(`${renderVariablesTable()}\n`)
    })

  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (error) {
    return handleError(error)
  }
}

function parsePort(raw: string): number {
  const port = Number(raw)
  // The internal listener takes port + 1, so the public port stops one short of 65535.
  if (!Number.isInteger(port) || port < 1 || port > 65534) throw new InvalidArgumentError('expected a port from 1 to 65534')
  return port
}

function handleError(error: unknown): number {
  if (error instanceof CommanderError) {
    const helpShown = error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
    if (helpShown || error.exitCode === 0) return exitCodes.ok
    return exitCodes.usage
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`dcp-identity: ${error.message}\n`)
    return exitCodes.config
  }
  if (error instanceof MigrationError || error instanceof SeedError) {
    process.stderr.write(`dcp-identity: ${error.message}\n`)
    return exitCodes.failure
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    const { address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number }
    process.stderr.write(
      `dcp-identity: port ${port ?? ''} on ${address ?? 'this host'} is in use by another process; stop it, or choose other ports with PUBLIC_PORT and INTERNAL_PORT\n`,
    )
    return exitCodes.failure
  }
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`dcp-identity: ${message}\n`)
  return exitCodes.failure
}
