import t from 'tap'
import { renewExpiringCredentials } from '../../src/holder/credential-renewal.js'
import { createLogger } from '../../src/observability/logger.js'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'
import type { Database } from '../../src/storage/database.js'
import { createPostgresDatabase, createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { startHostedIssuance, waitForRequest, type HostedIssuance } from '../helpers/hosted-issuance.js'
import { adminRequest } from '../helpers/server.js'

const logger = createLogger('silent')
// Credentials valid for 120 s, renewed 120 s before expiry: each is due as soon as it is stored.
const shortDefinitions = [
  { id: 'membership', credentialType: 'MembershipCredential', validitySeconds: 120, claims: { holderIdentifier: { attribute: 'bpn' } } },
]
// The periodic renewal is off, so each test triggers renewal runs itself.
const env = { CREDENTIAL_RENEWAL_INTERVAL_SECONDS: '0', CREDENTIAL_RENEWAL_BEFORE: '2m' }

async function issueOne(setup: HostedIssuance): Promise<{ requestId: string; credentialId: string }> {
  const app = setup.server.internalApp
  const created = await adminRequest(app, 'POST', '/v1/participants/wallet1/credential-requests', {
    body: { issuerDid: setup.issuerDid, credentialTypes: ['MembershipCredential'] },
  })
  if (created.statusCode !== 201) throw new Error(`request failed: ${created.body}`)
  await waitForRequest(setup.server, 'wallet1', created.json().id, (request) => request.state === 'issued')
  const [credential] = (await adminRequest(app, 'GET', '/v1/participants/wallet1/credentials')).json().items
  return { requestId: created.json().id, credentialId: credential.id }
}

async function renewalsOf(db: Database, credentialId: string) {
  return (await db.query<{ id: string }>('SELECT id FROM credential_requests WHERE renews_credential_id = $1', [credentialId])).rows
}

for (const kind of databaseKinds) {
  t.test(`${kind}: renewal before expiry`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const setup = await startHostedIssuance(t, { db, definitions: shortDefinitions, env })
    const { credentialId } = await issueOne(setup)

    t.equal(await renewExpiringCredentials(db, 60, logger), 0, 'not due with a shorter window')
    t.equal(await renewExpiringCredentials(db, 120, logger), 1, 'one renewal request')
    t.equal(await renewExpiringCredentials(db, 120, logger), 0, 'no second renewal of the same credential')
    const [renewal] = await renewalsOf(db, credentialId)
    t.ok(renewal, 'the renewal names the credential it renews')

    const renewed = await waitForRequest(setup.server, 'wallet1', renewal!.id, (request) => request.state === 'issued')
    t.same(renewed.credentialTypes, ['MembershipCredential'])
    t.equal(renewed.renewsCredentialId, credentialId)
    const stored = (await adminRequest(setup.server.internalApp, 'GET', '/v1/participants/wallet1/credentials')).json().items
    t.equal(stored.length, 2, 'the new credential is stored beside the old one')
    const linked = await db.query('SELECT id FROM holder_credentials WHERE credential_request_id = $1', [renewal!.id])
    t.equal(linked.rows.length, 1, 'the new credential is linked to the renewal request')
  })
}

// Two replicas on one database run renewal at the same moment; the credential still gets one renewal.
t.test('two instances renew once', { skip: process.env.DATABASE_URL ? false : 'DATABASE_URL is not set' }, async (t) => {
  const url = await createPostgresDatabase(t)
  const first = new PostgresDatabase({ url, poolMax: 5 })
  const second = new PostgresDatabase({ url, poolMax: 5 })
  t.teardown(async () => {
    await first.close()
    await second.close()
  })
  const setup = await startHostedIssuance(t, { db: first, definitions: shortDefinitions, env })
  const { credentialId } = await issueOne(setup)
  for (let round = 0; round < 5; round++) {
    await Promise.all([renewExpiringCredentials(first, 120, logger), renewExpiringCredentials(second, 120, logger)])
  }
  t.equal((await renewalsOf(first, credentialId)).length, 1)
})

t.test('periodic renewal task', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const setup = await startHostedIssuance(t, {
    db,
    definitions: shortDefinitions,
    env: { ...env, CREDENTIAL_RENEWAL_INTERVAL_SECONDS: '1' },
  })
  const { credentialId } = await issueOne(setup)
  const deadline = Date.now() + 10_000
  while ((await renewalsOf(db, credentialId)).length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  t.equal((await renewalsOf(db, credentialId)).length, 1, 'the task requested the renewal')
})
