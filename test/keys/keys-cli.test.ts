import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { main } from '../../src/cli/main.js'
import { listAuditEvents } from '../../src/storage/audit-repository.js'
import type { EmbeddedDatabase } from '../../src/storage/embedded-database.js'
import { migrate } from '../../src/storage/migrate.js'
import { withDataFolder } from '../helpers/databases.js'
import { addParticipant } from '../helpers/keys.js'
import { testMasterKey } from '../helpers/server.js'

// The CLI reads process.env like `serve`; this file runs in its own process, so it sets it here.
const dataDir = mkdtempSync(join(tmpdir(), 'dcp-cli-'))
Object.assign(process.env, { DATA_DIR: dataDir, MASTER_KEY: testMasterKey, LOG_LEVEL: 'silent' })
delete process.env.DATABASE_URL

async function run(...argv: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = []
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string) => chunks.push(String(chunk)) > 0) as typeof process.stdout.write
  try {
    return { code: await main(argv), stdout: chunks.join('') }
  } finally {
    process.stdout.write = write
  }
}

function withDatabase<T>(work: (db: EmbeddedDatabase) => Promise<T>): Promise<T> {
  return withDataFolder(dataDir, work)
}

t.before(async () => {
  await withDatabase(async (db) => {
    await migrate(db)
    await addParticipant(db, 'acme')
  })
})

t.test('keys create, list, rotate, revoke', async (t) => {
  const created = await run('keys', 'create', 'acme', '--usage', 'sign_token', 'sign_presentation', '--algorithm', 'EdDSA', '--json')
  t.equal(created.code, 0)
  const key = JSON.parse(created.stdout)
  t.match(key, { participantId: 'acme', algorithm: 'EdDSA', custody: 'local', usages: ['sign_token', 'sign_presentation'] })

  const rotated = await run('keys', 'rotate', 'acme', key.id, '--json')
  t.equal(rotated.code, 0)
  const fresh = JSON.parse(rotated.stdout)

  const revoked = await run('keys', 'revoke', 'acme', key.id, '--json')
  t.equal(JSON.parse(revoked.stdout).state, 'revoked')

  const active = JSON.parse((await run('keys', 'list', 'acme', '--json')).stdout)
  t.same(active.map((listedKey: { id: string }) => listedKey.id), [fresh.id], 'a list of one key is an array')

  const listed = await run('keys', 'list', 'acme', '--include-revoked')
  const lines = listed.stdout.trim().split('\n')
  t.match(lines[0], /^ID +FRAGMENT +ALGORITHM +CUSTODY +STATE +USAGES +DEFAULT FOR +CREATED$/)
  t.match(lines[1], new RegExp(`^${key.id} +key-${key.id} +EdDSA +local +revoked +sign_token,sign_presentation +- `))
  t.match(lines[2], new RegExp(`^${fresh.id} .* active +sign_token,sign_presentation +sign_presentation,sign_token `))

  const events = await withDatabase((db) => listAuditEvents(db, { actor: 'cli', limit: 10 }))
  t.same(events.map((event) => [event.action, event.outcome]), [
    ['key.revoke', 'success'],
    ['key.rotate', 'success'],
    ['key.create', 'success'],
  ])
})

t.test('keys errors and usage', async (t) => {
  t.equal((await run('keys', 'rotate', 'acme', 'aaaaaaaaaaaaaaaa')).code, 1, 'unknown key fails')
  t.equal((await run('keys', 'create', 'acme')).code, 64, 'missing --usage is a usage error')
  t.equal((await run('keys', 'create', 'acme', '--usage', 'encrypt')).code, 64, 'unknown usage is a usage error')
  for (const command of ['create', 'list', 'rotate', 'revoke']) {
    const help = await run('keys', command, '--help')
    t.equal(help.code, 0)
    t.match(help.stdout, new RegExp(`^Usage: dcp-identity keys ${command} `), `${command} --help`)
  }
  const failures = await withDatabase((db) => listAuditEvents(db, { actor: 'cli', outcome: 'failure', limit: 10 }))
  t.same(failures.map((event) => [event.action, event.errorCode]), [['key.rotate', 'ERR_KEY_NOT_FOUND']])
})
