import t from 'tap'
import { decodeJwt } from 'jose'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { hostedIssuerId, startHostedIssuance, waitForRequest, type HostedIssuance } from '../helpers/hosted-issuance.js'
import { adminRequest } from '../helpers/server.js'

const v1 = 'https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'
const membershipScope = 'org.eclipse.tractusx.vc.type:MembershipCredential:read'

function createRequest(setup: HostedIssuance, walletId: string, body: object) {
  return adminRequest(setup.server.internalApp, 'POST', `/v1/participants/${walletId}/credential-requests`, { body })
}

async function credentialsOf(setup: HostedIssuance, walletId: string) {
  return (await adminRequest(setup.server.internalApp, 'GET', `/v1/participants/${walletId}/credentials`)).json().items
}

/** Plays both connectors: wallet1's STS grants an access token to wallet2, whose STS wraps it. */
async function verifierToken(setup: HostedIssuance, scopes: string[]): Promise<string> {
  const sts = (walletId: string, fields: Record<string, string>) =>
    setup.server.internalApp.inject({
      method: 'POST',
      url: '/sts/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: setup.walletDid(walletId),
        client_secret: setup.stsSecrets[walletId]!,
        ...fields,
      }).toString(),
    })
  const holderSi = (await sts('wallet1', { audience: setup.walletDid('wallet2'), bearer_access_scope: scopes.join(' ') })).json()
  const accessToken = decodeJwt(holderSi.access_token).token as string
  return (await sts('wallet2', { audience: setup.walletDid('wallet1'), token: accessToken })).json().access_token as string
}

for (const kind of databaseKinds) {
  t.test(`${kind}: request, delivery and presentation`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const setup = await startHostedIssuance(t, { db })

    const byType = await createRequest(setup, 'wallet1', { issuerDid: setup.issuerDid, credentialTypes: ['MembershipCredential'] })
    t.equal(byType.statusCode, 201, byType.body)
    const first = byType.json()
    t.equal(first.state, 'requested')
    t.same(first.credentialObjectIds, ['membership'], 'the type is found in the issuer metadata')
    t.match(first.issuerPid, /^[0-9a-f-]{36}$/, 'issuerPid from the Location header')
    t.equal(first.attempts, 0)
    t.equal(first.lastError, null)

    const byId = await createRequest(setup, 'wallet2', { issuerDid: setup.issuerDid, credentials: [{ id: 'sensitive-data' }] })
    t.equal(byId.statusCode, 201, byId.body)

    const issued = await waitForRequest(setup.server, 'wallet1', first.id, (request) => request.state === 'issued')
    t.equal(issued.nextAttemptAt, null, 'an issued request is not polled')
    await waitForRequest(setup.server, 'wallet2', byId.json().id, (request) => request.state === 'issued')

    const stored = await credentialsOf(setup, 'wallet1')
    t.equal(stored.length, 1, 'wallet1 holds one credential')
    t.ok(stored[0].types.includes('MembershipCredential'))
    t.equal(stored[0].issuerDid, setup.issuerDid)
    const linked = await db.query<{ credential_request_id: string }>('SELECT credential_request_id FROM holder_credentials WHERE id = $1', [stored[0].id])
    t.equal(linked.rows[0]?.credential_request_id, first.id, 'the credential is linked to its request')
    const other = await credentialsOf(setup, 'wallet2')
    t.equal(other.length, 1)
    t.ok(other[0].types.includes('SensitiveDataCredential'), 'wallet2 holds what it asked for')

    const token = await verifierToken(setup, [membershipScope])
    const query = await setup.server.publicApp.inject({
      method: 'POST',
      url: '/p/wallet1/cs/presentations/query',
      headers: { authorization: `Bearer ${token}` },
      payload: { '@context': [v1], type: 'PresentationQueryMessage', scope: [membershipScope] },
    })
    t.equal(query.statusCode, 200, query.body)
    const presentation = decodeJwt(query.json().presentation[0])
    const carried = (presentation.vp as { verifiableCredential: string[] }).verifiableCredential
    t.equal(carried.length, 1)
    t.equal(decodeJwt(carried[0]!).iss, setup.issuerDid, 'the presented credential comes from the issuer')

    const listed = await adminRequest(setup.server.internalApp, 'GET', '/v1/participants/wallet1/credential-requests?state=issued')
    t.equal(listed.json().items.length, 1)
    const none = await adminRequest(setup.server.internalApp, 'GET', '/v1/participants/wallet1/credential-requests?state=error')
    t.equal(none.json().items.length, 0)
    const audit = await adminRequest(setup.server.internalApp, 'GET', '/v1/audit?action=credential-request.create')
    t.equal(audit.json().items.length, 2, 'both requests are audited')
  })
}

t.test('typed errors keep the request', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const setup = await startHostedIssuance(t, { db })
  const app = setup.server.internalApp

  const cases: Array<[string, object, string]> = [
    ['unknown credential type', { issuerDid: setup.issuerDid, credentialTypes: ['NoSuchCredential'] }, 'ERR_CREDENTIAL_REQUEST_CREDENTIAL_UNKNOWN'],
    ['unknown credential id', { issuerDid: setup.issuerDid, credentials: [{ id: 'nope' }] }, 'ERR_CREDENTIAL_REQUEST_CREDENTIAL_UNKNOWN'],
    ['issuer without IssuerService', { issuerDid: setup.walletDid('wallet2'), credentialTypes: ['MembershipCredential'] }, 'ERR_CREDENTIAL_REQUEST_ISSUER_SERVICE_MISSING'],
    ['unknown issuer DID', { issuerDid: `did:web:127.0.0.1%3A${setup.port}:nobody`, credentialTypes: ['MembershipCredential'] }, 'ERR_CREDENTIAL_REQUEST_ISSUER_UNKNOWN'],
  ]
  for (const [name, body, code] of cases) {
    const response = await createRequest(setup, 'wallet1', body)
    t.equal(response.statusCode, 422, `${name}: status`)
    t.equal(response.json().error, code, `${name}: code`)
  }
  const stored = (await adminRequest(app, 'GET', '/v1/participants/wallet1/credential-requests?state=error')).json().items
  t.equal(stored.length, cases.length, 'every failed request is stored as error')
  t.ok(stored.every((request: { lastError: string | null }) => request.lastError !== null), 'each with its reason')

  const both = await createRequest(setup, 'wallet1', { issuerDid: setup.issuerDid, credentialTypes: ['X'], credentials: [{ id: 'x' }] })
  t.equal(both.statusCode, 400)
  t.equal(both.json().error, 'ERR_REQUEST_INVALID')
  const neither = await createRequest(setup, 'wallet1', { issuerDid: setup.issuerDid })
  t.equal(neither.statusCode, 400)

  const notHolder = await createRequest(setup, hostedIssuerId, { issuerDid: setup.issuerDid, credentialTypes: ['MembershipCredential'] })
  t.equal(notHolder.statusCode, 409)
  t.equal(notHolder.json().error, 'ERR_CREDENTIAL_REQUEST_HOLDER_ROLE')

  // An unregistered holder is rejected by the issuer with 401, which no retry fixes.
  await adminRequest(app, 'POST', '/v1/participants', {
    body: { id: 'stranger', did: setup.walletDid('stranger'), displayName: 'stranger', roles: ['holder'] },
  })
  const rejected = await createRequest(setup, 'stranger', { issuerDid: setup.issuerDid, credentialTypes: ['MembershipCredential'] })
  t.equal(rejected.statusCode, 422)
  t.equal(rejected.json().error, 'ERR_CREDENTIAL_REQUEST_REFUSED')
  t.match(rejected.json().message, /returned status 401: ERR_ISSUER_HOLDER_UNKNOWN/)

  const missing = await adminRequest(app, 'GET', '/v1/participants/wallet1/credential-requests/00000000-0000-4000-8000-000000000000')
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().error, 'ERR_CREDENTIAL_REQUEST_NOT_FOUND')
})
