import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/** Raised when another live process has the embedded database's data folder open. */
export class DataFolderInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `the embedded database in "${dataDir}" is in use by process ${pid}; stop that process (such as dcp-identity serve) ` +
        'first, or use a PostgreSQL server through DATABASE_URL so that several processes can share it',
    )
    this.name = 'DataFolderInUseError'
  }
}

/**
 * Claims the data folder of the embedded database for this process. PGlite has no lock of its
 * own, and a second process writing the same folder loses or corrupts data, so the claim is a
 * file with the owner's pid. A file whose process has ended is taken over. Returns the release.
 */
export function lockDataFolder(dataDir: string): () => void {
  const path = join(dataDir, 'dcp-identity.lock')
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number
    try {
      fd = openSync(path, 'wx', 0o600)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number.parseInt(readIfPresent(path), 10)
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) throw new DataFolderInUseError(dataDir, owner)
      rmSync(path, { force: true })
      continue
    }
    writeSync(fd, `${process.pid}\n`)
    closeSync(fd)
    let released = false
    return () => {
      if (released) return
      released = true
      rmSync(path, { force: true })
    }
  }
  throw new DataFolderInUseError(dataDir, Number.parseInt(readIfPresent(path), 10))
}

function readIfPresent(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
