import { Command, CommanderError } from 'commander'
import { ConfigError, loadConfig } from '../config/config.js'
import { renderVariablesTable } from '../config/render-table.js'
import { SeedError } from '../seed/load-seed.js'
import { MigrationError } from '../storage/migrate.js'
import { exitCodes } from './exit-codes.js'
import { credentialsCommand } from './credentials-command.js'
import { keysCommand } from './keys-command.js'
import { migrateCommand } from './migrate-command.js'
import { seedCommand } from './seed-command.js'
import { serveCommand } from './serve-command.js'

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
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`dcp-identity: ${message}\n`)
  return exitCodes.failure
}
