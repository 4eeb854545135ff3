import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'
import { runCli } from '../helpers/cli.js'
import { createPostgresDatabase } from '../helpers/databases.js'
import { startHostedIssuance, waitForRequest } from '../helpers/hosted-issuance.js'
import { adminToken, testMasterKey } from '../helpers/server.js'

t.test('usage errors exit 64', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dcp-cli-credentials-'))
  const neither = await runCli(['credentials', 'request', '--participant', 'wallet1', '--issuer', 'did:web:issuer.example'], { DATA_DIR: dataDir })
  t.equal(neither.code, 64)
  t.match(neither.stderr, /give either --type or --credential-id/)
  const both = await runCli(
    ['credentials', 'request', '--participant', 'wallet1', '--issuer', 'did:web:issuer.example', '--type', 'A', '--credential-id', 'b'],
    { DATA_DIR: dataDir },
  )
  t.equal(both.code, 64)
  const noParticipant = await runCli(['credentials', 'requests'], { DATA_DIR: dataDir })
  t.equal(noParticipant.code, 64)
  t.match(noParticipant.stderr, /--participant/)
})

// The CLI shares the PostgreSQL database of a running service that hosts the issuer and the
// wallets, as an operator's CLI shares it with the deployed replicas.
t.test('request and list through the CLI', { skip: process.env.DATABASE_URL ? false : 'DATABASE_URL is not set' }, async (t) => {
  const url = await createPostgresDatabase(t)
  const db = new PostgresDatabase({ url, poolMax: 5 })
  t.teardown(() => db.close())
  const setup = await startHostedIssuance(t, { db })
  const env = {
    DATABASE_URL: url,
    ADMIN_TOKEN: adminToken,
    MASTER_KEY: testMasterKey,
    PUBLIC_BASE_URL: `http://127.0.0.1:${setup.port}`,
    DID_WEB_HTTP_HOSTS: '127.0.0.1',
    LOG_LEVEL: 'silent',
  }

  const requested = await runCli(['credentials', 'request', '--participant', 'wallet1', '--issuer', setup.issuerDid, '--type', 'MembershipCredential', '--json'], env)
  t.equal(requested.code, 0, requested.stderr)
  const request = JSON.parse(requested.stdout)
  t.equal(request.state, 'requested')
  t.same(request.credentialObjectIds, ['membership'])
  await waitForRequest(setup.server, 'wallet1', request.id, (body) => body.state === 'issued')

  const byId = await runCli(['credentials', 'request', '--participant', 'wallet2', '--issuer', setup.issuerDid, '--credential-id', 'sensitive-data'], env)
  t.equal(byId.code, 0, byId.stderr)
  t.match(byId.stdout, /^ID\s+STATE\s+ISSUER/)
  t.match(byId.stdout, /requested/)

  const listed = await runCli(['credentials', 'requests', '--participant', 'wallet1', '--state', 'issued', '--json'], env)
  t.equal(listed.code, 0, listed.stderr)
  const items = JSON.parse(listed.stdout)
  t.same(items.map((item: { id: string }) => item.id), [request.id], 'the one issued request, in an array')

  const unknown = await runCli(['credentials', 'request', '--participant', 'wallet1', '--issuer', setup.issuerDid, '--type', 'NoSuchCredential'], env)
  t.equal(unknown.code, 1)
  t.match(unknown.stderr, /ERR_CREDENTIAL_REQUEST_CREDENTIAL_UNKNOWN/)
  const missing = await runCli(['credentials', 'requests', '--participant', 'nobody'], env)
  t.equal(missing.code, 1)
  t.match(missing.stderr, /ERR_PARTICIPANT_NOT_FOUND/)

  const audit = await db.query<{ actor: string }>("SELECT actor FROM audit_events WHERE action = 'credential-request.create'")
  t.equal(audit.rows.length, 3, 'each CLI request is audited')
  t.ok(audit.rows.every((row) => row.actor === 'cli'))
})
