import t from 'tap'
import { adminRequest, startTestServer } from '../helpers/server.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'

const companyX = { id: 'companyx', did: 'did:web:localhost%3A8080:companyx', displayName: 'Company X', roles: ['holder'] }
const companyY = { id: 'companyy', did: 'did:web:localhost%3A8080:companyy', displayName: 'Company Y', roles: ['holder'] }

for (const kind of databaseKinds) {
  t.test(`${kind}: admin API`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { internalApp: app } = await startTestServer(t, { db })

    const created = await adminRequest(app, 'POST', '/v1/participants', { body: companyX })
    t.equal(created.statusCode, 201)
    t.match(created.json(), { ...companyX, state: 'active' })
    t.equal((await adminRequest(app, 'POST', '/v1/participants', { body: companyY })).statusCode, 201)

    t.test('participant reads back and is audited', async (t) => {
      const read = await adminRequest(app, 'GET', '/v1/participants/companyx')
      t.equal(read.statusCode, 200)
      const { stsClient, ...participant } = created.json()
      t.same(read.json(), participant)
      t.equal(stsClient.clientId, companyX.did)
      const audit = await adminRequest(app, 'GET', '/v1/audit?action=participant.create&participantId=companyx')
      t.equal(audit.statusCode, 200)
      const [row] = audit.json().items
      t.match(row, {
        actor: 'admin',
        action: 'participant.create',
        target: 'participant:companyx',
        participantId: 'companyx',
        outcome: 'success',
        errorCode: null,
        detail: { did: companyX.did },
      })
      t.equal(row.requestId, created.headers['x-request-id'])
    })

    t.test('display name defaults to the id', async (t) => {
      const created = await adminRequest(app, 'POST', '/v1/participants', {
        body: { id: 'unnamed', did: 'did:web:unnamed.example', roles: ['holder'], createKey: false },
      })
      t.equal(created.statusCode, 201, created.body)
      t.equal(created.json().displayName, 'unnamed')
    })

    t.test('duplicate participant is 409 and audited as failure', async (t) => {
      const duplicate = await adminRequest(app, 'POST', '/v1/participants', { body: companyX })
      t.equal(duplicate.statusCode, 409)
      t.same(duplicate.json(), {
        error: 'ERR_PARTICIPANT_CONFLICT',
        message: 'a participant with id "companyx" already exists',
      })
      const audit = await adminRequest(app, 'GET', '/v1/audit?outcome=failure')
      t.match(audit.json().items[0], { action: 'participant.create', outcome: 'failure', errorCode: 'ERR_PARTICIPANT_CONFLICT' })
    })

    t.test('authentication', async (t) => {
      const none = await adminRequest(app, 'GET', '/v1/participants', { token: null })
      t.equal(none.statusCode, 401)
      t.same(none.json(), { error: 'ERR_AUTH_MISSING', message: 'missing "Authorization: Bearer <token>" header' })

      const wrong = await adminRequest(app, 'GET', '/v1/participants', { token: 'x'.repeat(48) })
      t.equal(wrong.statusCode, 401)
      t.same(wrong.json(), { error: 'ERR_AUTH_INVALID', message: 'the bearer credential is not valid' })

      const basic = await app.inject({ method: 'GET', url: '/v1/participants', headers: { authorization: 'Basic abc' } })
      t.equal(basic.statusCode, 401)
      t.equal(basic.json().error, 'ERR_AUTH_MISSING')
    })

    t.test('participant API key acts only on its participant', async (t) => {
      const key = await adminRequest(app, 'POST', '/v1/participants/companyx/api-keys', { body: { name: 'connector' } })
      t.equal(key.statusCode, 201)
      const { token, id } = key.json()
      t.match(token, /^dcpk_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$/)

      t.equal((await adminRequest(app, 'GET', '/v1/participants/companyx', { token })).statusCode, 200)
      const listed = await adminRequest(app, 'GET', '/v1/participants', { token })
      t.same(listed.json().items.map((p: { id: string }) => p.id), ['companyx'])

      const other = await adminRequest(app, 'GET', '/v1/participants/companyy', { token })
      t.equal(other.statusCode, 403)
      t.same(other.json(), { error: 'ERR_AUTH_FORBIDDEN', message: 'this API key may not act on participant "companyy"' })

      const adminOnly = await adminRequest(app, 'POST', '/v1/participants', { token, body: { ...companyX, id: 'z', did: 'did:web:z' } })
      t.equal(adminOnly.statusCode, 403)
      t.same(adminOnly.json(), { error: 'ERR_AUTH_FORBIDDEN', message: 'this operation needs the admin token' })

      const auditOther = await adminRequest(app, 'GET', '/v1/audit?participantId=companyy', { token })
      t.equal(auditOther.statusCode, 403)
      const auditOwn = await adminRequest(app, 'GET', '/v1/audit', { token })
      t.ok(auditOwn.json().items.length > 0)
      t.ok(auditOwn.json().items.every((row: { participantId: string }) => row.participantId === 'companyx'))

      const keys = await adminRequest(app, 'GET', '/v1/participants/companyx/api-keys', { token })
      t.same(keys.json().items.map((k: { id: string }) => k.id), [id])
      t.notOk('token' in keys.json().items[0], 'listing never shows the token')
    })

    t.test('revoked key is refused', async (t) => {
      const key = (await adminRequest(app, 'POST', '/v1/participants/companyy/api-keys', { body: { name: 'old' } })).json()
      t.equal((await adminRequest(app, 'GET', '/v1/participants/companyy', { token: key.token })).statusCode, 200)
      const revoked = await adminRequest(app, 'POST', `/v1/participants/companyy/api-keys/${key.id}/revoke`)
      t.equal(revoked.statusCode, 200)
      t.type(revoked.json().revokedAt, 'string')
      const refused = await adminRequest(app, 'GET', '/v1/participants/companyy', { token: key.token })
      t.equal(refused.statusCode, 401)
      t.same(refused.json(), { error: 'ERR_AUTH_INVALID', message: 'the bearer credential is not valid' })
      const audit = await adminRequest(app, 'GET', '/v1/audit?action=api-key.revoke')
      t.match(audit.json().items[0], { target: `api-key:${key.id}`, outcome: 'success', participantId: 'companyy' })
    })

    t.test('tampered key secret is refused', async (t) => {
      const key = (await adminRequest(app, 'POST', '/v1/participants/companyy/api-keys', { body: { name: 'x' } })).json()
      const tampered = key.token.slice(0, -1) + (key.token.endsWith('A') ? 'B' : 'A')
      const refused = await adminRequest(app, 'GET', '/v1/participants/companyy', { token: tampered })
      t.equal(refused.statusCode, 401)
    })

    t.test('deactivated participant: key refused, new keys conflict', async (t) => {
      const key = (await adminRequest(app, 'POST', '/v1/participants/companyy/api-keys', { body: { name: 'y' } })).json()
      const deactivated = await adminRequest(app, 'POST', '/v1/participants/companyy/deactivate')
      t.equal(deactivated.statusCode, 200)
      t.equal(deactivated.json().state, 'deactivated')
      t.equal((await adminRequest(app, 'GET', '/v1/participants/companyy', { token: key.token })).statusCode, 401)
      const newKey = await adminRequest(app, 'POST', '/v1/participants/companyy/api-keys', { body: { name: 'z' } })
      t.equal(newKey.statusCode, 409)
      t.same(newKey.json(), { error: 'ERR_PARTICIPANT_DEACTIVATED', message: 'participant "companyy" is deactivated' })
      t.equal((await adminRequest(app, 'POST', '/v1/participants/companyy/activate')).json().state, 'active')
      t.equal((await adminRequest(app, 'GET', '/v1/participants/companyy', { token: key.token })).statusCode, 200)
    })

    t.test('delete cascades and is audited', async (t) => {
      const deleted = await adminRequest(app, 'DELETE', '/v1/participants/companyy')
      t.equal(deleted.statusCode, 204)
      t.equal(deleted.body, '')
      const missing = await adminRequest(app, 'GET', '/v1/participants/companyy')
      t.equal(missing.statusCode, 404)
      t.same(missing.json(), { error: 'ERR_PARTICIPANT_NOT_FOUND', message: 'participant "companyy" not found' })
      const keys = await db.query("SELECT count(*)::int AS n FROM api_keys WHERE participant_id = 'companyy'")
      t.equal(keys.rows[0]?.n, 0)
      const again = await adminRequest(app, 'DELETE', '/v1/participants/companyy')
      t.equal(again.statusCode, 404)
      const audit = await adminRequest(app, 'GET', '/v1/audit?action=participant.delete')
      t.same(
        audit.json().items.map((row: { outcome: string }) => row.outcome),
        ['failure', 'success'],
      )
    })

    t.test('audit pages newest first', async (t) => {
      const first = (await adminRequest(app, 'GET', '/v1/audit?limit=2')).json()
      t.equal(first.items.length, 2)
      t.ok(first.items[0].id > first.items[1].id)
      const second = (await adminRequest(app, 'GET', `/v1/audit?limit=2&before=${first.next}`)).json()
      t.ok(second.items[0].id < first.items[1].id)
      const since = new Date(Date.now() + 60_000).toISOString()
      t.same((await adminRequest(app, 'GET', `/v1/audit?since=${since}`)).json().items, [])
      const bad = await adminRequest(app, 'GET', '/v1/audit?since=yesterday')
      t.equal(bad.statusCode, 400)
      t.equal(bad.json().error, 'ERR_REQUEST_INVALID')
    })
  })
}
