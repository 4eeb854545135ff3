import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, type Config } from '../config/config.js'
import { masterKey as parseMasterKey } from '../config/key-variables.js'
import type { Logger } from '../observability/logger.js'

/**
 * Returns the master key of local custody. The embedded mode, meant for one machine, creates
 * one in `DATA_DIR/master-key` (mode 0600, hex) when none is set. With DATABASE_URL set, a
 * deployment whose default custody is local must configure one. Other deployments without one
 * get undefined, which makes local custody unavailable.
 */
export function resolveMasterKey(config: Config, logger: Logger): Buffer | undefined {
  if (config.keys.masterKey !== undefined) return config.keys.masterKey
  if (config.database.kind === 'postgres') {
    if (config.keys.defaultCustody !== 'local') return undefined
    throw new ConfigError([
      'MASTER_KEY: missing; with DATABASE_URL set and KEY_CUSTODY=local, expected MASTER_KEY or MASTER_KEY_FILE with 32 bytes as 64 hex characters or base64',
    ])
  }
  const path = join(config.dataDir, 'master-key')
  const existing = readIfPresent(path)
  if (existing !== undefined) {
    logger.info({ path }, 'master key read from the data folder')
    return parseStored(existing, path)
  }
  mkdirSync(config.dataDir, { recursive: true })
  const key = randomBytes(32)
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
  logger.warn({ path }, 'no MASTER_KEY set, so a master key was generated into the data folder')
  return key
}

function parseStored(text: string, path: string): Buffer {
  try {
    return parseMasterKey(text)
  } catch (error) {
    throw new ConfigError([`MASTER_KEY: the generated key file "${path}" is invalid: ${(error as Error).message}`])
  }
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
