import { join } from 'node:path'
import type { DatabaseConfig } from '../config/config.js'
import type { Database } from './database.js'
import { EmbeddedDatabase } from './embedded-database.js'
import { PostgresDatabase } from './postgres-database.js'

/** Opens the database the configuration names: PostgreSQL when a URL is set, else embedded. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') return new PostgresDatabase({ url: config.url, poolMax: config.poolMax })
  return EmbeddedDatabase.open(join(config.dataDir, 'pglite'))
}

const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'])

/**
 * Tells whether an error means the database cannot be reached, as opposed to a bad query:
 * connection failures, the SQLSTATE classes 08 (connection) and 57P (shutdown), pool timeouts.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (unavailableCodes.has(code) || /^08|^57P0[1-3]$/.test(code))) return true
  return /timeout exceeded when trying to connect|Connection terminated|PGlite is closed/i.test(error.message)
}

/** SQLSTATE of a unique-constraint violation. */
export function isUniqueViolation(error: unknown): error is Error & { constraint?: string } {
  return error instanceof Error && (error as { code?: unknown }).code === '23505'
}
