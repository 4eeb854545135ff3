import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../observability/logger.js'
import { ConfigError, type Config } from './config.js'

/**
 * Returns the configured admin token. The embedded mode, meant for one machine, creates one in
 * `DATA_DIR/admin-token` (mode 0600) when none is set; a server deployment must set it.
 */
export function resolveAdminToken(config: Config, logger: Logger): string {
  if (config.adminToken !== undefined) return config.adminToken
  if (config.database.kind === 'postgres') {
    throw new ConfigError([
      'ADMIN_TOKEN: missing; with DATABASE_URL set, expected ADMIN_TOKEN or ADMIN_TOKEN_FILE with at least 32 characters',
    ])
  }
  const path = join(config.dataDir, 'admin-token')
  const existing = readIfPresent(path)
  if (existing !== undefined) {
    logger.info({ path }, 'admin token read from the data folder')
    return existing
  }
  mkdirSync(config.dataDir, { recursive: true })
  const token = randomBytes(32).toString('base64url')
  writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' })
  logger.warn({ path }, 'no ADMIN_TOKEN set, so an admin token was generated into the data folder')
  return token
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
