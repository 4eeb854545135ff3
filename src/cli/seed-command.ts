import type { Config } from '../config/config.js'
import { openKeyStore } from '../keys/key-store.js'
import { createLogger } from '../observability/logger.js'
import { applySeed } from '../seed/apply-seed.js'
import { loadSeed } from '../seed/load-seed.js'
import { migrate } from '../storage/migrate.js'
import { openDatabase } from '../storage/open-database.js'
import { exitCodes } from './exit-codes.js'

/** Applies a seed file to the configured database and prints one line per change. */
export async function seedCommand(config: Config, file: string): Promise<number> {
  const seed = loadSeed(file)
  // Logs go to stderr, so stdout carries only the list of changes.
  const logger = createLogger(config.logLevel, process.stderr)
  const db = await openDatabase(config.database)
  try {
    await migrate(db)
    const store = openKeyStore(config, db, logger)
    try {
      const changes = await applySeed(seed, { db, keyManager: store.keyManager, logger })
      for (const change of changes) process.stdout.write(`${change.participantId}: ${change.description}\n`)
      process.stdout.write(changes.length === 0 ? 'seed already applied: nothing changed\n' : `${changes.length} changes applied\n`)
      return exitCodes.ok
    } finally {
      store.close()
    }
  } finally {
    await db.close()
  }
}
