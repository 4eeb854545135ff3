import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Postgrator from 'postgrator'
import type { Database, Queryable } from './database.js'

/** Folder of the ordered SQL files, `NNN.do.name.sql`, that define the schema. */
export const migrationsDirectory = fileURLToPath(new URL('../../migrations/', import.meta.url))

const migrationTable = 'schema_migrations'
const lockName = 'dcp-identity.migrations'

export interface AppliedMigration {
  version: number
  name: string
}

/** Raised when the schema in the database and the migration files disagree. */
export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MigrationError'
  }
}

/**
 * Applies every pending migration in one transaction that holds an advisory lock, so replicas
 * starting together apply each file once and a failing file leaves the schema as it was.
 * Recorded checksums are compared with the files first; a changed file stops the run.
 */
export async function migrate(db: Database, directory = migrationsDirectory): Promise<AppliedMigration[]> {
  const versions = fileVersions(directory)
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockName])
    const applied = await appliedMigrations(tx)
    refuseNewerSchema(applied, Math.max(...versions))
    refuseSkippedFiles(applied, versions)
    const postgrator = new Postgrator({
      migrationPattern: `${directory}/*.do.*.sql`,
      driver: 'pg',
      schemaTable: migrationTable,
      validateChecksums: true,
      execQuery: (sql: string) => tx.query(sql),
      execSqlScript: (sql: string) => tx.exec(sql),
    })
    try {
      const applied = await postgrator.migrate()
      return applied.map((migration) => ({ version: migration.version, name: migration.name }))
    } catch (error) {
      throw explain(error)
    }
  })
}

/** Lists the migrations recorded in the database, oldest first. */
export async function appliedMigrations(db: Queryable): Promise<AppliedMigration[]> {
  const exists = await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [migrationTable])
  if (!exists.rows[0]?.found) return []
  const result = await db.query<{ version: number; name: string }>(
    `SELECT version::int AS version, name FROM ${migrationTable} WHERE version > 0 ORDER BY version`,
  )
  return result.rows
}

function fileVersions(directory: string): number[] {
  let files: string[]
  try {
    files = readdirSync(directory)
  } catch (error) {
    throw new MigrationError(`cannot read the migrations folder "${directory}"`, { cause: error })
  }
  const versions = files.map((file) => /^(\d+)\.do\..+\.sql$/.exec(file)?.[1]).filter((v) => v !== undefined)
  if (versions.length === 0) throw new MigrationError(`the migrations folder "${directory}" has no migration`)
  return versions.map(Number)
}

function refuseNewerSchema(applied: AppliedMigration[], newest: number): void {
  const latest = applied.at(-1)
  if (latest !== undefined && latest.version > newest) {
    throw new MigrationError(
      `the database has migration ${latest.version} (${latest.name}) but this release knows migrations up to ` +
        `${newest}; run a release at least as new as the one that migrated this database`,
    )
  }
}

/**
 * Postgrator applies only files above the newest applied version, so a file numbered below it
 * would be skipped without notice. Such a file stops the run instead.
 */
function refuseSkippedFiles(applied: AppliedMigration[], versions: number[]): void {
  const latest = applied.at(-1)?.version ?? 0
  const recorded = new Set(applied.map((migration) => migration.version))
  const skipped = versions.filter((version) => version < latest && !recorded.has(version)).sort((a, b) => a - b)
  if (skipped.length > 0) {
    throw new MigrationError(
      `migration ${skipped[0]} is numbered below migration ${latest}, which is already applied, so it would never run; ` +
        `give it a number above ${latest}`,
    )
  }
}

function explain(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error)
  const changed = /MD5 checksum failed for migration \[(\d+)\]/.exec(message)
  if (changed) {
    return new MigrationError(
      `migration ${changed[1]} was changed after it was applied: its checksum differs from the one recorded ` +
        `in ${migrationTable}; restore the file and put the change in a new migration`,
    )
  }
  return new MigrationError(`migration failed: ${message}`, { cause: error })
}
