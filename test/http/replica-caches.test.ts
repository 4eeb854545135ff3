import { decodeProtectedHeader } from 'jose'
import t from 'tap'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'
import { createPostgresDatabase } from '../helpers/databases.js'
import { adminRequest, startTestServer } from '../helpers/server.js'

const did = 'did:web:localhost%3A8080:companyx'
const verifierDid = 'did:web:localhost%3A8080:companyy'

/** Polls `check` every 50 ms until it returns true or `ms` have passed, and returns its last result. */
async function eventually(check: () => Promise<boolean>, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms
  for (;;) {
    if (await check()) return true
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

// Two replicas on one PostgreSQL database. Their STS client cache lives 5 s and their key cache
// 10 s, so a change seen within 2 s on the other replica came through the change notifications.
t.test('postgres: changes reach other replicas', { skip: !process.env.DATABASE_URL }, async (t) => {
  const url = await createPostgresDatabase(t)
  const replicas = []
  for (let i = 0; i < 2; i++) {
    const db = new PostgresDatabase({ url, poolMax: 4 })
    t.teardown(() => db.close())
    replicas.push((await startTestServer(t, { db })).internalApp)
  }
  const [changing, serving] = replicas as [(typeof replicas)[0], (typeof replicas)[0]]
  const created = await adminRequest(changing, 'POST', '/v1/participants', { body: { id: 'companyx', did, roles: ['holder'] } })
  const { clientId, clientSecret } = created.json().stsClient as { clientId: string; clientSecret: string }
  const token = (secret: string) =>
    serving.inject({
      method: 'POST',
      url: '/sts/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, audience: verifierDid }).toString(),
    })
  const kidOf = async (secret: string) => decodeProtectedHeader((await token(secret)).json().access_token).kid

  const first = await token(clientSecret)
  t.equal(first.statusCode, 200, 'the serving replica caches the client and the key')

  const rotated = (await adminRequest(changing, 'POST', '/v1/participants/companyx/sts-client/rotate-secret')).json().clientSecret as string
  t.ok(await eventually(async () => (await token(rotated)).statusCode === 200), 'a rotated secret works on the other replica')
  t.equal((await token(clientSecret)).statusCode, 401, 'and the old one does not')

  const [key] = (await adminRequest(changing, 'GET', '/v1/participants/companyx/keys')).json().items as Array<{ id: string; fragment: string }>
  t.equal(await kidOf(rotated), `${did}#${key!.fragment}`)
  const fresh = (await adminRequest(changing, 'POST', `/v1/participants/companyx/keys/${key!.id}/rotate`)).json() as { fragment: string }
  t.ok(await eventually(async () => (await kidOf(rotated)) === `${did}#${fresh.fragment}`), 'a rotated key signs on the other replica')

  await adminRequest(changing, 'POST', '/v1/participants/companyx/deactivate')
  t.ok(await eventually(async () => (await token(rotated)).statusCode === 401), 'a deactivated participant gets no token from the other replica')
})
