import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { DataFolderInUseError } from '../../src/storage/data-folder-lock.js'
import { EmbeddedDatabase } from '../../src/storage/embedded-database.js'

const freshDir = () => mkdtempSync(join(tmpdir(), 'dcp-lock-'))

t.test('a second open of one data folder is refused', async (t) => {
  const dataDir = freshDir()
  const first = await EmbeddedDatabase.open(dataDir)
  t.equal(readFileSync(join(dataDir, 'dcp-identity.lock'), 'utf8').trim(), String(process.pid))
  const error = await EmbeddedDatabase.open(dataDir).catch((caught: unknown) => caught)
  t.type(error, DataFolderInUseError)
  t.match((error as Error).message, `is in use by process ${process.pid}`)
  await first.close()

  const reopened = await EmbeddedDatabase.open(dataDir)
  t.same((await reopened.query('SELECT 1 AS one')).rows, [{ one: 1 }], 'the folder opens again after close')
  await reopened.close()
})

t.test('a lock left by an ended process is taken over', async (t) => {
  const dataDir = freshDir()
  // Pids are below 2^22 on Linux, so this one belongs to no process.
  writeFileSync(join(dataDir, 'dcp-identity.lock'), '4194304\n')
  const db = await EmbeddedDatabase.open(dataDir)
  t.equal(readFileSync(join(dataDir, 'dcp-identity.lock'), 'utf8').trim(), String(process.pid))
  await db.close()
})

t.test('an in-memory database takes no lock', async (t) => {
  const first = await EmbeddedDatabase.open()
  const second = await EmbeddedDatabase.open()
  t.same((await second.query('SELECT 2 AS two')).rows, [{ two: 2 }])
  await Promise.all([first.close(), second.close()])
})
