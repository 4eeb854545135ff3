import type { FastifyInstance } from 'fastify'
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose'
import t from 'tap'
import type { DidDocument } from '../../src/did/document.js'
import { signJwt } from '../../src/keys/sign-jwt.js'
import { listAuditEvents } from '../../src/storage/audit-repository.js'
import { createApiKey, createParticipant } from '../helpers/admin.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { adminRequest, startTestServer } from '../helpers/server.js'

const env = { PUBLIC_BASE_URL: 'https://id.example.com' }

async function fetchDocument(app: FastifyInstance, path: string, host = 'id.example.com') {
  return app.inject({ method: 'GET', url: path, headers: { host } })
}

/** Verifies a JWT with the key its `kid` names in the served document, as a verifier would. */
async function verifyWithDocument(app: FastifyInstance, path: string, jwt: string) {
  const document = (await fetchDocument(app, path)).json() as DidDocument
  const { kid, alg } = decodeProtectedHeader(jwt)
  const method = document.verificationMethod.find((entry) => entry.id === kid)
  if (!method) throw new Error(`no verification method "${kid}" in the document`)
  if (!document.capabilityInvocation.includes(kid!)) throw new Error(`"${kid}" is not in capabilityInvocation`)
  return jwtVerify(jwt, await importJWK(method.publicKeyJwk as JWK, alg))
}

for (const kind of databaseKinds) {
  t.test(`${kind}: host and path DIDs on one host`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { publicApp, internalApp } = await startTestServer(t, { db, env })
    await createParticipant(internalApp, { id: 'root', did: 'did:web:id.example.com', roles: ['issuer'] })
    await createParticipant(internalApp, { id: 'acme', did: 'did:web:id.example.com:tenants:acme' })
    await createParticipant(internalApp, { id: 'beta', did: 'did:web:id.example.com:tenants:beta' })
    await adminRequest(internalApp, 'POST', '/v1/participants/acme/keys', { body: { usages: ['sign_token'] } })

    const host = await fetchDocument(publicApp, '/.well-known/did.json')
    t.equal(host.statusCode, 200)
    t.equal(host.headers['cache-control'], 'public, max-age=30')
    t.match(host.headers['content-type'], /^application\/did\+json/)
    t.match(host.json(), {
      id: 'did:web:id.example.com',
      service: [{ id: 'did:web:id.example.com#issuer-service', type: 'IssuerService', serviceEndpoint: 'https://id.example.com/p/root/is' }],
      verificationMethod: [],
    })

    const acme = (await fetchDocument(publicApp, '/tenants/acme/did.json')).json()
    t.equal(acme.id, 'did:web:id.example.com:tenants:acme')
    t.equal(acme.verificationMethod.length, 1)
    t.same(acme.service, [
      {
        id: 'did:web:id.example.com:tenants:acme#credential-service',
        type: 'CredentialService',
        serviceEndpoint: 'https://id.example.com/p/acme/cs',
      },
    ])
    t.equal((await fetchDocument(publicApp, '/tenants/beta/did.json')).json().id, 'did:web:id.example.com:tenants:beta')

    const otherHost = await fetchDocument(publicApp, '/tenants/acme/did.json', 'attacker.example')
    t.equal(otherHost.json().id, 'did:web:id.example.com:tenants:acme', 'the Host header selects nothing')
  })

  t.test(`${kind}: unknown, deactivated and ambiguous paths`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { publicApp, internalApp } = await startTestServer(t, { db, env })
    await createParticipant(internalApp, { id: 'acme', did: 'did:web:id.example.com:acme' })

    const unknown = await fetchDocument(publicApp, '/nobody/did.json')
    t.equal(unknown.statusCode, 404)
    t.same(unknown.json(), { error: 'ERR_HOSTED_DID_NOT_FOUND', message: 'no active participant has a DID document at /nobody/did.json' })

    const noHost = await fetchDocument(publicApp, '/.well-known/did.json')
    t.same(noHost.json(), { error: 'ERR_HOSTED_DID_NOT_FOUND', message: 'no active participant has a DID document at /.well-known/did.json' })

    const other = await fetchDocument(publicApp, '/acme/other.json')
    t.equal(other.statusCode, 404)
    t.same(other.json(), { error: 'ERR_ROUTE_NOT_FOUND', message: 'no route for GET /acme/other.json' })

    await adminRequest(internalApp, 'POST', '/v1/participants/acme/deactivate')
    const deactivated = await fetchDocument(publicApp, '/acme/did.json')
    t.equal(deactivated.statusCode, 404, 'a deactivated participant has no document')
    t.equal(deactivated.json().error, 'ERR_HOSTED_DID_NOT_FOUND')

    await createParticipant(internalApp, { id: 'one', did: 'did:web:one.example.com' })
    await createParticipant(internalApp, { id: 'two', did: 'did:web:two.example.com' })
    const ambiguous = await fetchDocument(publicApp, '/.well-known/did.json')
    t.equal(ambiguous.statusCode, 500)
    t.equal(ambiguous.json().error, 'ERR_HOSTED_DID_AMBIGUOUS')
  })

  t.test(`${kind}: rotation keeps and revocation removes a key`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const server = await startTestServer(t, { db, env })
    const { publicApp, internalApp } = server
    const did = 'did:web:id.example.com:acme'
    await createParticipant(internalApp, { id: 'acme', did })
    const created = await adminRequest(internalApp, 'POST', '/v1/participants/acme/keys', { body: { usages: ['sign_token'] } })
    const old = created.json()
    const keyManager = server.context.keyManager

    const before = await signJwt(keyManager, did, 'sign_token', { typ: 'JWT' }, { iss: did, sub: did })
    t.equal((await verifyWithDocument(publicApp, '/acme/did.json', before)).protectedHeader.kid, `${did}#${old.fragment}`)

    const fresh = (await adminRequest(internalApp, 'POST', `/v1/participants/acme/keys/${old.id}/rotate`)).json()
    const rotated = (await fetchDocument(publicApp, '/acme/did.json')).json() as DidDocument
    t.same(rotated.verificationMethod.map((method) => method.id), [`${did}#${old.fragment}`, `${did}#${fresh.fragment}`])
    await verifyWithDocument(publicApp, '/acme/did.json', before)
    t.pass('a signature of the rotated key still verifies')

    const after = await signJwt(keyManager, did, 'sign_token', {}, { iss: did })
    t.equal(decodeProtectedHeader(after).kid, `${did}#${fresh.fragment}`, 'new signatures use the new key')

    await adminRequest(internalApp, 'POST', `/v1/participants/acme/keys/${old.id}/revoke`)
    const revoked = (await fetchDocument(publicApp, '/acme/did.json')).json() as DidDocument
    t.same(revoked.verificationMethod.map((method) => method.id), [`${did}#${fresh.fragment}`])
    t.same(revoked.authentication, [`${did}#${fresh.fragment}`])
    await t.rejects(verifyWithDocument(publicApp, '/acme/did.json', before), new Error(`no verification method "${did}#${old.fragment}" in the document`))
    await verifyWithDocument(publicApp, '/acme/did.json', after)
  })

  t.test(`${kind}: service entries through the admin API`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { publicApp, internalApp: app } = await startTestServer(t, { db, env })
    await createParticipant(app, { id: 'acme', did: 'did:web:id.example.com:acme' })
    await createParticipant(app, { id: 'other', did: 'did:web:id.example.com:other' })
    const otherToken = await createApiKey(app, 'other')
    const service = { id: 'dsp', type: 'DataService', serviceEndpoint: 'https://edc.example.com/api/dsp' }

    const created = await adminRequest(app, 'POST', '/v1/participants/acme/services', { body: service })
    t.equal(created.statusCode, 201)
    t.match(created.json(), service)
    const document = (await fetchDocument(publicApp, '/acme/did.json')).json() as DidDocument
    t.same(document.service.at(-1), { ...service, id: 'did:web:id.example.com:acme#dsp' })

    const listed = await adminRequest(app, 'GET', '/v1/participants/acme/services')
    t.same(listed.json().items.map((item: { id: string }) => item.id), ['dsp'])

    const cases: Array<[string, Parameters<typeof adminRequest>, number, string, string]> = [
      ['duplicate', [app, 'POST', '/v1/participants/acme/services', { body: service }], 409, 'ERR_SERVICE_CONFLICT', 'participant "acme" already has a service "dsp"'],
      ['reserved id', [app, 'POST', '/v1/participants/acme/services', { body: { ...service, id: 'credential-service' } }], 409, 'ERR_SERVICE_CONFLICT', 'service id "credential-service" is reserved for the entries of the roles'],
      ['bad endpoint', [app, 'POST', '/v1/participants/acme/services', { body: { ...service, id: 'x', serviceEndpoint: 'ftp://x' } }], 400, 'ERR_REQUEST_INVALID', 'invalid field "body.serviceEndpoint": must match pattern "^https?://\\S+$"'],
      ['unknown participant', [app, 'POST', '/v1/participants/nobody/services', { body: service }], 404, 'ERR_PARTICIPANT_NOT_FOUND', 'participant "nobody" not found'],
      ['other API key', [app, 'GET', '/v1/participants/acme/services', { token: otherToken }], 403, 'ERR_AUTH_FORBIDDEN', 'this API key may not act on participant "acme"'],
      ['no token', [app, 'DELETE', '/v1/participants/acme/services/dsp', { token: null }], 401, 'ERR_AUTH_MISSING', ''],
      ['unknown service', [app, 'DELETE', '/v1/participants/acme/services/nope'], 404, 'ERR_SERVICE_NOT_FOUND', 'participant "acme" has no service "nope"'],
    ]
    for (const [name, args, status, code, message] of cases) {
      const response = await adminRequest(...args)
      t.equal(response.statusCode, status, `${name}: status`)
      t.equal(response.json().error, code, `${name}: code`)
      if (message) t.equal(response.json().message, message, `${name}: message`)
    }

    const deleted = await adminRequest(app, 'DELETE', '/v1/participants/acme/services/dsp')
    t.equal(deleted.statusCode, 204)
    const after = (await fetchDocument(publicApp, '/acme/did.json')).json() as DidDocument
    t.same(after.service.map((entry) => entry.type), ['CredentialService'])

    const events = await listAuditEvents(db, { participantId: 'acme', limit: 20 })
    t.same(
      events.filter((event) => event.action.startsWith('did-service.')).map((event) => [event.action, event.outcome, event.errorCode]),
      [
        ['did-service.delete', 'success', null],
        ['did-service.delete', 'failure', 'ERR_SERVICE_NOT_FOUND'],
        ['did-service.create', 'failure', 'ERR_SERVICE_CONFLICT'],
        ['did-service.create', 'failure', 'ERR_SERVICE_CONFLICT'],
        ['did-service.create', 'success', null],
      ],
    )
  })
}
