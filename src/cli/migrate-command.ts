import type { Config } from '../config/config.js'
import { appliedMigrations, migrate } from '../storage/migrate.js'
import { openDatabase } from '../storage/open-database.js'
import { exitCodes } from './exit-codes.js'

/** Applies pending migrations and prints what it applied. */
export async function migrateCommand(config: Config): Promise<number> {
  const db = await openDatabase(config.database)
  try {
    const applied = await migrate(db)
    const all = await appliedMigrations(db)
    const current = all.at(-1)
    for (const migration of applied) process.stdout.write(`applied ${migration.version} ${migration.name}\n`)
    process.stdout.write(
      applied.length === 0
        ? `schema is up to date at version ${current?.version ?? 0}\n`
        : `schema migrated to version ${current?.version ?? 0}\n`,
    )
    return exitCodes.ok
  } finally {
    await db.close()
  }
}
