import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { digest, secretMatches } from '../../src/participants/api-key-secret.js'
import { listAccessTokenKeys } from '../../src/storage/access-token-key-repository.js'
import { listAuditEvents } from '../../src/storage/audit-repository.js'
import type { EmbeddedDatabase } from '../../src/storage/embedded-database.js'
import { migrate } from '../../src/storage/migrate.js'
import { findStsClientCredential, insertStsClient } from '../../src/storage/sts-client-repository.js'
import { runCli } from '../helpers/cli.js'
import { withDataFolder } from '../helpers/databases.js'
import { addParticipant } from '../helpers/keys.js'
import { testMasterKey } from '../helpers/server.js'

// The built CLI on an embedded database of its own, so standard input is a real pipe.
const dataDir = mkdtempSync(join(tmpdir(), 'dcp-sts-client-'))
const env = { DATA_DIR: dataDir, MASTER_KEY: testMasterKey, LOG_LEVEL: 'silent' }
const clientId = 'acme-connector'
const firstSecret = 'f'.repeat(43)

function withDatabase<T>(work: (db: EmbeddedDatabase) => Promise<T>): Promise<T> {
  return withDataFolder(dataDir, work)
}

async function storedSecretMatches(secret: string): Promise<boolean> {
  const credential = await withDatabase((db) => findStsClientCredential(db, clientId))
  return secretMatches(secret, credential!.secretHash)
}

t.before(async () => {
  await withDatabase(async (db) => {
    await migrate(db)
    await addParticipant(db, 'acme')
    await insertStsClient(db, { participantId: 'acme', clientId, secretHash: digest(firstSecret) })
  })
})

t.test('show prints the client id', async (t) => {
  const printed = await runCli(['sts-client', 'show', 'acme', '--json'], env)
  t.equal(printed.code, 0, printed.stderr)
  t.match(JSON.parse(printed.stdout), { participantId: 'acme', clientId, rotatedAt: null })
  t.notMatch(printed.stdout, /clientSecret/)

  const table = await runCli(['sts-client', 'show', 'acme'], env)
  const lines = table.stdout.trim().split('\n')
  t.match(lines[0], /^PARTICIPANT +CLIENT ID +CREATED +SECRET CHANGED$/)
  t.match(lines[1], /^acme +acme-connector +\d{4}-\d\d-\d\dT\S+ +-$/)
})

t.test('rotate-secret prints a new secret once', async (t) => {
  const rotated = await runCli(['sts-client', 'rotate-secret', 'acme', '--json'], env)
  t.equal(rotated.code, 0, rotated.stderr)
  const client = JSON.parse(rotated.stdout)
  t.match(client, { participantId: 'acme', clientId, rotatedAt: /^\d{4}-/ })
  t.match(client.clientSecret, /^[A-Za-z0-9_-]{43}$/)
  t.ok(await storedSecretMatches(client.clientSecret), 'the new secret matches')
  t.notOk(await storedSecretMatches(firstSecret), 'the old secret does not')

  const table = await runCli(['sts-client', 'rotate-secret', 'acme'], env)
  const lines = table.stdout.trim().split('\n')
  t.match(lines[0], /^PARTICIPANT +CLIENT ID +CREATED +SECRET CHANGED +CLIENT SECRET$/)
  const printed = lines[1]!.split(/ +/).at(-1)!
  t.ok(await storedSecretMatches(printed), 'the secret in the table matches')
})

t.test('set-secret reads standard input', async (t) => {
  const vaulted = 'v'.repeat(40)
  const set = await runCli(['sts-client', 'set-secret', 'acme', '--json'], env, `${vaulted}\n`)
  t.equal(set.code, 0, set.stderr)
  t.notMatch(set.stdout, /clientSecret|vvvv/, 'the secret is not printed')
  t.ok(await storedSecretMatches(vaulted), 'one trailing newline is removed')

  const withCrLf = 'w'.repeat(32)
  t.equal((await runCli(['sts-client', 'set-secret', 'acme'], env, `${withCrLf}\r\n`)).code, 0)
  t.ok(await storedSecretMatches(withCrLf), 'a CRLF line end is removed too')

  const short = await runCli(['sts-client', 'set-secret', 'acme'], env, 'short\n')
  t.equal(short.code, 64)
  t.match(short.stderr, 'the secret on standard input has 5 characters; expected 32 to 512')
  const empty = await runCli(['sts-client', 'set-secret', 'acme'], env)
  t.equal(empty.code, 64, 'no standard input is a usage error')
  t.match(empty.stderr, 'has 0 characters')
  t.ok(await storedSecretMatches(withCrLf), 'a refused secret changes nothing')
})

t.test('rotate-access-token-key keeps the key before it', async (t) => {
  const ids: string[] = []
  for (let i = 0; i < 3; i++) {
    const rotated = await runCli(['sts-client', 'rotate-access-token-key', 'acme', '--json'], env)
    t.equal(rotated.code, 0, rotated.stderr)
    const key = JSON.parse(rotated.stdout)
    t.match(key, { participantId: 'acme', keyId: /\S/, createdAt: /^\d{4}-/ })
    ids.push(key.keyId)
  }
  const remaining = await withDatabase((db) => listAccessTokenKeys(db, 'acme'))
  t.same(remaining.map((key) => key.id), [ids[2], ids[1]], 'the newest two, newest first')
})

t.test('commands log warnings only by default', async (t) => {
  const { LOG_LEVEL: _silent, ...unset } = env
  const quiet = await runCli(['keys', 'list', 'acme'], unset)
  t.equal(quiet.code, 0, quiet.stderr)
  t.equal(quiet.stderr, '', 'no info lines without LOG_LEVEL')
  const verbose = await runCli(['keys', 'list', 'acme'], { ...unset, LOG_LEVEL: 'info' })
  t.match(verbose.stderr, /"msg":"key store opened"/, 'LOG_LEVEL=info shows them')
  t.notMatch(verbose.stdout, /key store opened/, 'on standard error only')
})

t.test('errors, usage and audit', async (t) => {
  const missing = await runCli(['sts-client', 'rotate-secret', 'nobody'], env)
  t.equal(missing.code, 1)
  t.equal(missing.stderr, 'dcp-identity: ERR_PARTICIPANT_NOT_FOUND: participant "nobody" not found\n')
  t.equal((await runCli(['sts-client', 'rotate-access-token-key', 'nobody'], env)).code, 1)
  t.equal((await runCli(['sts-client', 'show'], env)).code, 64, 'missing participant id')
  for (const command of ['show', 'rotate-secret', 'set-secret', 'rotate-access-token-key']) {
    const help = await runCli(['sts-client', command, '--help'], env)
    t.equal(help.code, 0)
    t.match(help.stdout, new RegExp(`^Usage: dcp-identity sts-client ${command} `), `${command} --help`)
  }

  const events = await withDatabase((db) => listAuditEvents(db, { actor: 'cli', limit: 20 }))
  const counts = new Map<string, number>()
  for (const event of events) counts.set(`${event.action} ${event.outcome}`, (counts.get(`${event.action} ${event.outcome}`) ?? 0) + 1)
  t.same(Object.fromEntries(counts), {
    'sts-client.rotate-secret success': 2,
    'sts-client.set-secret success': 2,
    'sts-client.rotate-access-token-key success': 3,
    'sts-client.rotate-secret failure': 1,
    'sts-client.rotate-access-token-key failure': 1,
  })
})
