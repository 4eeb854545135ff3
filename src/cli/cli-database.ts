import { loadConfig, type Config } from '../config/config.js'
import { AppError } from '../errors/app-error.js'
import type { TransactionRunner } from '../keys/key-manager.js'
import { createLogger, type Logger } from '../observability/logger.js'
import { runAudited, type AuditSpec } from '../storage/audited-transaction.js'
import type { Database } from '../storage/database.js'
import { migrate } from '../storage/migrate.js'
import { openDatabase } from '../storage/open-database.js'
import { exitCodes } from './exit-codes.js'

/** The configured database with its logger and audit helper, as a CLI command receives them. */
export interface CliDatabase {
  config: Config
  db: Database
  /** Writes to standard error, so standard output carries only the command's output. */
  logger: Logger
  /** Returns a transaction runner that also writes the change's audit row, with actor `cli`. */
  audited(spec: AuditSpec): TransactionRunner
}

/**
 * Loads the configuration as `serve` does, except that LOG_LEVEL defaults to `warn`, because info
 * lines such as "key store opened" would bury the command's own output.
 */
export function loadCommandConfig(): Config {
  return loadConfig({ LOG_LEVEL: 'warn', ...process.env })
}

/**
 * Opens and migrates the database of the configuration, runs `work` and closes the database. An
 * AppError from `work` is printed with its code and ends in exit code 1. Other errors propagate.
 */
export async function withCliDatabase(config: Config, work: (cli: CliDatabase) => Promise<number>): Promise<number> {
  const logger = createLogger(config.logLevel, process.stderr)
  const db = await openDatabase(config.database)
  try {
    await migrate(db)
    const audited = (spec: AuditSpec): TransactionRunner => (change) =>
      runAudited(db, { actor: 'cli', requestId: null }, spec, change, (error) => {
        logger.error({ err: error, action: spec.action }, 'failed to write audit row of a failed change')
      })
    return await work({ config, db, logger, audited })
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    process.stderr.write(`dcp-identity: ${error.code}: ${error.message}\n`)
    return exitCodes.failure
  } finally {
    await db.close()
  }
}

/** Prints rows under a header, each column as wide as its widest cell. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  for (const row of [header, ...rows]) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`)
  }
}

/**
 * Prints a value as indented JSON. A command that lists prints an array, also of one or no
 * element, so scripts read every result the same way.
 */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}
