import t from 'tap'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { verifyCredential } from 'did-jwt-vc'
import { createTestDatabase } from '../helpers/databases.js'
import {
  dcpFetch,
  issuerDid,
  issuerId,
  requestMessage,
  startIssuerFixture,
  startLoopbackHolder,
  type IssuerFixture,
  type JsonBody,
} from '../helpers/issuer-fixture.js'
import { adminRequest } from '../helpers/server.js'
import { selfIssuedClaims } from '../helpers/test-party.js'

const isPath = `/p/${issuerId}/is`
const admin = `/v1/participants/${issuerId}/issuer`

async function requestCredentials(fixture: IssuerFixture, holderPid: string, ids?: string[]) {
  return dcpFetch(fixture.baseUrl, `${isPath}/credentials`, { token: await fixture.holderToken(), body: requestMessage(holderPid, ids) })
}

async function statusOf(fixture: IssuerFixture, location: string) {
  const response = await dcpFetch(fixture.baseUrl, `${isPath}/requests/${location.split('/').at(-1)}`, {
    token: await fixture.holderToken(),
  })
  return response.body.status as string
}

/** did-jwt resolves through the service's own resolver, so what it checks is the published key. */
function independentResolver(fixture: IssuerFixture): Parameters<typeof verifyCredential>[1] {
  return fixture.server.context.resolver as unknown as Parameters<typeof verifyCredential>[1]
}

t.test('issuance end to end', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const fixture = await startIssuerFixture(t, { db })
  const before = Date.now()
  const response = await requestCredentials(fixture, 'pid-1')
  t.equal(response.status, 201)
  const [delivery] = await fixture.holder.waitForDeliveries(1)
  const message = delivery!.body
  t.equal(message.status, 'ISSUED')
  t.same(message['@context'], ['https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'])
  t.equal(message.credentials[0].format, 'vc11-sl2021/jwt', 'default container format is the profile')
  t.equal(await statusOf(fixture, response.headers.get('location')!), 'ISSUED')

  const membership = message.credentials.find((c: { credentialType: string }) => c.credentialType === 'MembershipCredential')
  const jwt = membership.payload as string
  const header = decodeProtectedHeader(jwt)
  const claims = decodeJwt(jwt)
  const vc = claims.vc as JsonBody
  t.equal(header.alg, 'ES256')
  t.match(header.kid, new RegExp(`^${issuerDid}#`))
  t.equal(claims.iss, issuerDid)
  t.equal(claims.sub, fixture.holder.party.did)
  t.equal(claims.jti, vc.id)
  t.equal(claims.nbf, claims.iat)
  t.ok(claims.iat! * 1000 <= before - 4000, 'issuanceDate backdated')
  t.equal(vc['@context'][0], 'https://www.w3.org/2018/credentials/v1')
  t.same(vc.type, ['VerifiableCredential', 'MembershipCredential'])
  t.equal(vc.issuer, issuerDid)
  t.equal(vc.issuanceDate, new Date(claims.nbf! * 1000).toISOString())
  t.equal(vc.expirationDate, new Date(claims.exp! * 1000).toISOString())
  t.same(vc.credentialSubject, { id: fixture.holder.party.did, holderIdentifier: 'BPNL000000000001' })
  t.equal(vc.credentialStatus.type, 'StatusList2021Entry')
  t.equal(vc.credentialStatus.statusPurpose, 'revocation')
  t.match(vc.credentialStatus.statusListCredential, /^http:\/\/localhost:8080\/p\/authority\/status-lists\//)

  const verified = await verifyCredential(jwt, independentResolver(fixture))
  t.equal(verified.issuer, issuerDid, 'did-jwt-vc verifies the credential')

  const issued = await adminRequest(fixture.server.internalApp, 'GET', `${admin}/issued-credentials`)
  t.equal(issued.json().items.length, 2)
  const deliveries = await adminRequest(fixture.server.internalApp, 'GET', `${admin}/deliveries`)
  t.equal(deliveries.json().items[0].state, 'delivered')
})

t.test('request rules', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const fixture = await startIssuerFixture(t, { db })
  const stranger = await startLoopbackHolder(t, 'stranger')
  const strangerToken = () => stranger.party.sign(selfIssuedClaims(stranger.party.did, issuerDid))

  t.test('repeated holderPid is a conflict', async (t) => {
    t.equal((await requestCredentials(fixture, 'pid-repeat')).status, 201)
    const again = await requestCredentials(fixture, 'pid-repeat')
    t.equal(again.status, 409)
    t.equal(again.body.error, 'ERR_ISSUER_HOLDER_PID_CONFLICT')
  })

  t.test('unknown credential object id', async (t) => {
    const response = await requestCredentials(fixture, 'pid-unknown', ['membership', 'nope'])
    t.equal(response.status, 400)
    t.equal(response.body.error, 'ERR_ISSUER_CREDENTIAL_UNKNOWN')
    t.match(response.body.message, /"nope"/)
  })

  t.test('unregistered holder', async (t) => {
    const response = await dcpFetch(fixture.baseUrl, `${isPath}/credentials`, {
      token: await strangerToken(),
      body: requestMessage('pid-stranger'),
    })
    t.equal(response.status, 401)
    t.equal(response.body.error, 'ERR_ISSUER_HOLDER_UNKNOWN')
  })

  t.test('status only for the requesting holder', async (t) => {
    const created = await requestCredentials(fixture, 'pid-private')
    const id = created.headers.get('location')!.split('/').at(-1)
    const response = await dcpFetch(fixture.baseUrl, `${isPath}/requests/${id}`, { token: await strangerToken() })
    t.equal(response.status, 404)
    t.equal(response.body.error, 'ERR_ISSUER_REQUEST_NOT_FOUND')
  })

  t.test('metadata of an unknown issuer', async (t) => {
    t.equal((await dcpFetch(fixture.baseUrl, '/p/nobody/is/metadata')).status, 404)
  })
})

t.test('unregistered holders allowed by setting', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const fixture = await startIssuerFixture(t, {
    db,
    env: { ISSUER_ALLOW_UNKNOWN_HOLDERS: 'true' },
    definitions: [{ id: 'sensitive-data', credentialType: 'SensitiveDataCredential', claims: { foo: { value: 'bar' } } }],
  })
  const stranger = await startLoopbackHolder(t, 'stranger')
  const response = await dcpFetch(fixture.baseUrl, `${isPath}/credentials`, {
    token: await stranger.party.sign(selfIssuedClaims(stranger.party.did, issuerDid)),
    body: requestMessage('pid-1', ['sensitive-data']),
  })
  t.equal(response.status, 201)
  const [delivery] = await stranger.waitForDeliveries(1)
  t.equal(delivery!.body.status, 'ISSUED')
})

t.test('manual approval and rejection', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const fixture = await startIssuerFixture(t, {
    db,
    definitions: [
      { id: 'membership', credentialType: 'MembershipCredential', approval: 'manual', claims: { holderIdentifier: { attribute: 'bpn' } } },
      { id: 'dismantler', credentialType: 'DismantlerCredential', claims: { activityType: { attribute: 'activityType' } } },
    ],
  })
  const app = fixture.server.internalApp

  t.test('approve issues and delivers', async (t) => {
    const created = await requestCredentials(fixture, 'pid-approve', ['membership'])
    const location = created.headers.get('location')!
    t.equal(await statusOf(fixture, location), 'RECEIVED')
    const pending = await adminRequest(app, 'GET', `${admin}/credential-requests?state=received`)
    t.equal(pending.json().items.length, 1)
    await new Promise((resolve) => setTimeout(resolve, 300))
    t.equal(fixture.holder.deliveries.length, 0, 'nothing delivered before approval')

    const approved = await adminRequest(app, 'POST', `${admin}/credential-requests/${location.split('/').at(-1)}/approve`)
    t.equal(approved.statusCode, 200)
    t.equal(approved.json().state, 'issued')
    const [delivery] = await fixture.holder.waitForDeliveries(1)
    t.equal(delivery!.body.credentials.length, 1)
    t.equal(await statusOf(fixture, location), 'ISSUED')
    const again = await adminRequest(app, 'POST', `${admin}/credential-requests/${location.split('/').at(-1)}/approve`)
    t.equal(again.statusCode, 409)
    t.equal(again.json().error, 'ERR_ISSUER_REQUEST_STATE')
  })

  t.test('reject tells the holder why', async (t) => {
    fixture.holder.deliveries.length = 0
    const created = await requestCredentials(fixture, 'pid-reject', ['membership'])
    const issuerPid = created.headers.get('location')!.split('/').at(-1)
    const rejected = await adminRequest(app, 'POST', `${admin}/credential-requests/${issuerPid}/reject`, {
      body: { reason: 'not a member' },
    })
    t.equal(rejected.statusCode, 200)
    t.equal(rejected.json().state, 'rejected')
    const [delivery] = await fixture.holder.waitForDeliveries(1)
    t.equal(delivery!.body.status, 'REJECTED')
    t.equal(delivery!.body.rejectionReason, 'not a member')
    t.same(delivery!.body.credentials, [])
    t.equal(await statusOf(fixture, created.headers.get('location')!), 'REJECTED')
    const audit = await adminRequest(app, 'GET', '/v1/audit?action=issuer-request.reject')
    t.equal(audit.json().items.length, 1, 'the rejection is audited')
    t.equal(audit.json().items[0].outcome, 'success')
  })

  t.test('missing attribute rejects automatically', async (t) => {
    fixture.holder.deliveries.length = 0
    const created = await requestCredentials(fixture, 'pid-attribute', ['dismantler'])
    t.equal(created.status, 201)
    t.equal(await statusOf(fixture, created.headers.get('location')!), 'REJECTED')
    const [delivery] = await fixture.holder.waitForDeliveries(1)
    t.match(delivery!.body.rejectionReason, /attribute "activityType"/)
  })
})

t.test('dead delivery and admin retry', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const fixture = await startIssuerFixture(t, {
    db,
    env: { ISSUER_DELIVERY_MAX_ATTEMPTS: '2', ISSUER_DELIVERY_INTERVAL_MS: '200' },
  })
  const app = fixture.server.internalApp
  fixture.holder.status = 503
  t.equal((await requestCredentials(fixture, 'pid-dead')).status, 201)

  let dead: JsonBody | undefined
  for (let waited = 0; waited < 8000 && !dead; waited += 200) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    dead = (await adminRequest(app, 'GET', `${admin}/deliveries?state=dead`)).json().items[0]
  }
  t.ok(dead, 'delivery is dead after its attempts')
  t.equal(dead?.attempts, 2)
  t.match(dead?.lastError, /returned status 503/)
  t.equal(fixture.holder.deliveries.length, 0)

  fixture.holder.status = 201
  const retried = await adminRequest(app, 'POST', `${admin}/deliveries/${dead?.id}/retry`)
  t.equal(retried.statusCode, 200)
  t.equal(retried.json().state, 'pending')
  await fixture.holder.waitForDeliveries(1)
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.equal(fixture.holder.deliveries.length, 1, 'delivered once')
  const again = await adminRequest(app, 'POST', `${admin}/deliveries/${dead?.id}/retry`)
  t.equal(again.statusCode, 409)
  t.equal(again.json().error, 'ERR_ISSUER_DELIVERY_STATE')
})
