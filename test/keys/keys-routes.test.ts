import t from 'tap'
import { listAuditEvents } from '../../src/storage/audit-repository.js'
import { createApiKey, createParticipant } from '../helpers/admin.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { adminRequest, startTestServer } from '../helpers/server.js'

for (const kind of databaseKinds) {
  t.test(`${kind}: key lifecycle through the admin API`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { internalApp: app } = await startTestServer(t, { db })
    await createParticipant(app, { id: 'acme', did: 'did:web:example.com:acme' })

    const created = await adminRequest(app, 'POST', '/v1/participants/acme/keys', {
      body: { usages: ['sign_token', 'sign_presentation'] },
    })
    t.equal(created.statusCode, 201)
    const key = created.json()
    t.match(key, {
      participantId: 'acme',
      algorithm: 'ES256',
      custody: 'local',
      state: 'active',
      usages: ['sign_token', 'sign_presentation'],
      defaultFor: ['sign_presentation', 'sign_token'],
      publicJwk: { kty: 'EC', crv: 'P-256' },
      rotatedAt: null,
      revokedAt: null,
    })
    t.same(Object.keys(key.publicJwk).sort(), ['crv', 'kty', 'x', 'y'], 'no private member in the response')

    const rotated = await adminRequest(app, 'POST', `/v1/participants/acme/keys/${key.id}/rotate`)
    t.equal(rotated.statusCode, 201)
    const fresh = rotated.json()
    t.not(fresh.id, key.id)
    t.same(fresh.defaultFor, ['sign_presentation', 'sign_token'])

    const revoked = await adminRequest(app, 'POST', `/v1/participants/acme/keys/${key.id}/revoke`)
    t.equal(revoked.statusCode, 200)
    t.equal(revoked.json().state, 'revoked')

    const listed = await adminRequest(app, 'GET', '/v1/participants/acme/keys')
    t.same(listed.json().items.map((item: { id: string }) => item.id), [fresh.id])
    const all = await adminRequest(app, 'GET', '/v1/participants/acme/keys?includeRevoked=true')
    t.same(all.json().items.map((item: { id: string; state: string }) => [item.id, item.state]), [
      [key.id, 'revoked'],
      [fresh.id, 'active'],
    ])

    const events = await listAuditEvents(db, { participantId: 'acme', limit: 10 })
    t.same(
      events.filter((event) => event.action.startsWith('key.')).map((event) => [event.action, event.target, event.outcome, event.actor]),
      [
        ['key.revoke', `key:${key.id}`, 'success', 'admin'],
        ['key.rotate', `key:${key.id}`, 'success', 'admin'],
        ['key.create', 'participant:acme', 'success', 'admin'],
      ],
    )
    const createEvent = events.find((event) => event.action === 'key.create')!
    t.same(createEvent.detail, { usages: ['sign_token', 'sign_presentation'], keyId: key.id })
    t.same(events.find((event) => event.action === 'key.rotate')!.detail, { newKeyId: fresh.id })
  })

  t.test(`${kind}: key routes reject bad requests`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { internalApp: app } = await startTestServer(t, { db })
    await createParticipant(app, { id: 'acme', did: 'did:web:example.com:acme' })
    await createParticipant(app, { id: 'other', did: 'did:web:example.com:other' })
    const otherToken = await createApiKey(app, 'other')
    const ownToken = await createApiKey(app, 'acme')

    const cases: Array<[string, Parameters<typeof adminRequest>, number, string, string]> = [
      ['no token', [app, 'GET', '/v1/participants/acme/keys', { token: null }], 401, 'ERR_AUTH_MISSING', ''],
      ['bad token', [app, 'GET', '/v1/participants/acme/keys', { token: 'nope' }], 401, 'ERR_AUTH_INVALID', 'the bearer credential is not valid'],
      ['other participant', [app, 'POST', '/v1/participants/acme/keys', { token: otherToken, body: { usages: ['sign_token'] } }], 403, 'ERR_AUTH_FORBIDDEN', 'this API key may not act on participant "acme"'],
      ['unknown participant', [app, 'POST', '/v1/participants/nobody/keys', { body: { usages: ['sign_token'] } }], 404, 'ERR_PARTICIPANT_NOT_FOUND', 'participant "nobody" not found'],
      ['list unknown participant', [app, 'GET', '/v1/participants/nobody/keys'], 404, 'ERR_PARTICIPANT_NOT_FOUND', 'participant "nobody" not found'],
      ['unknown key', [app, 'POST', '/v1/participants/acme/keys/aaaaaaaaaaaaaaaa/rotate'], 404, 'ERR_KEY_NOT_FOUND', 'participant "acme" has no key "aaaaaaaaaaaaaaaa"'],
      ['revoke unknown key', [app, 'POST', '/v1/participants/acme/keys/aaaaaaaaaaaaaaaa/revoke'], 404, 'ERR_KEY_NOT_FOUND', 'participant "acme" has no key "aaaaaaaaaaaaaaaa"'],
      ['empty usages', [app, 'POST', '/v1/participants/acme/keys', { body: { usages: [] } }], 400, 'ERR_REQUEST_INVALID', 'invalid field "body.usages": must NOT have fewer than 1 items'],
      ['unknown usage', [app, 'POST', '/v1/participants/acme/keys', { body: { usages: ['encrypt'] } }], 400, 'ERR_REQUEST_INVALID', ''],
      ['unknown field', [app, 'POST', '/v1/participants/acme/keys', { body: { usages: ['sign_token'], private: true } }], 400, 'ERR_REQUEST_INVALID', 'unknown field "body.private"'],
      ['custody without KMS', [app, 'POST', '/v1/participants/acme/keys', { body: { usages: ['sign_token'], custody: 'aws-kms' } }], 400, 'ERR_KEY_CUSTODY_UNAVAILABLE', 'key custody "aws-kms" is unavailable: no KMS region is configured; set KMS_REGION or AWS_REGION'],
      ['bad key id', [app, 'POST', '/v1/participants/acme/keys/UPPER/rotate'], 400, 'ERR_REQUEST_INVALID', ''],
    ]
    for (const [name, args, status, code, message] of cases) {
      const response = await adminRequest(...args)
      t.equal(response.statusCode, status, `${name}: status`)
      t.equal(response.json().error, code, `${name}: code`)
      if (message) t.equal(response.json().message, message, `${name}: message`)
    }

    const own = await adminRequest(app, 'POST', '/v1/participants/acme/keys', { token: ownToken, body: { usages: ['sign_token'], algorithm: 'EdDSA' } })
    t.equal(own.statusCode, 201, 'a participant API key manages its own keys')
    const ownKey = own.json()

    await adminRequest(app, 'POST', `/v1/participants/acme/keys/${ownKey.id}/rotate`)
    const twice = await adminRequest(app, 'POST', `/v1/participants/acme/keys/${ownKey.id}/rotate`)
    t.equal(twice.statusCode, 409)
    t.same(twice.json(), { error: 'ERR_KEY_NOT_ACTIVE', message: `key "${ownKey.id}" of participant "acme" is rotated, so it cannot be rotated` })

    await adminRequest(app, 'POST', '/v1/participants/acme/deactivate')
    const deactivated = await adminRequest(app, 'POST', '/v1/participants/acme/keys', { body: { usages: ['sign_token'] } })
    t.equal(deactivated.statusCode, 409)
    t.same(deactivated.json(), { error: 'ERR_PARTICIPANT_DEACTIVATED', message: 'participant "acme" is deactivated' })

    const failures = await listAuditEvents(db, { participantId: 'acme', outcome: 'failure', limit: 20 })
    t.same(
      failures.map((event) => [event.action, event.errorCode]),
      [
        ['key.create', 'ERR_PARTICIPANT_DEACTIVATED'],
        ['key.rotate', 'ERR_KEY_NOT_ACTIVE'],
        ['key.create', 'ERR_KEY_CUSTODY_UNAVAILABLE'],
        ['key.revoke', 'ERR_KEY_NOT_FOUND'],
        ['key.rotate', 'ERR_KEY_NOT_FOUND'],
      ],
    )
    const apiKeyEvent = (await listAuditEvents(db, { participantId: 'acme', action: 'key.create', outcome: 'success', limit: 1 }))[0]
    t.match(apiKeyEvent?.actor, /^api-key:/)
  })

  t.test(`${kind}: readiness reports the key store`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { internalApp: app } = await startTestServer(t, { db })
    const response = await app.inject({ method: 'GET', url: '/health/ready' })
    t.equal(response.statusCode, 200)
    t.same(response.json(), { status: 'ok', checks: { database: 'ok', keys: 'ok' } })
  })
}
