import { gunzipSync } from 'node:zlib'
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { decodeJwt } from 'jose'
import { createTestDatabase } from '../helpers/databases.js'
import {
  dcpFetch,
  issuerId,
  registerHolder,
  requestMessage,
  startIssuerFixture,
  startLoopbackHolder,
  type IssuerFixture,
  type LoopbackHolder,
} from '../helpers/issuer-fixture.js'
import { adminRequest } from '../helpers/server.js'

const admin = `/v1/participants/${issuerId}/issuer`

/** Signs a VP JWT as the holder that wraps the given credentials, as a connector sends it to BDRS. */
function presentation(holder: LoopbackHolder, credentials: string[], aud: string | string[] = 'bdrs') {
  const now = Math.floor(Date.now() / 1000)
  return holder.party.sign({
    iss: holder.party.did,
    sub: holder.party.did,
    aud,
    jti: randomUUID(),
    iat: now,
    exp: now + 60,
    vp: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiablePresentation'],
      verifiableCredential: credentials,
    },
  })
}

async function fetchDirectory(fixture: IssuerFixture, authorization?: string) {
  return fixture.server.publicApp.inject({
    method: 'GET',
    url: `/p/${issuerId}/bpn-directory`,
    headers: { 'accept-encoding': 'gzip', ...(authorization === undefined ? {} : { authorization }) },
  })
}

t.test('BPN directory', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const fixture = await startIssuerFixture(t, { db, definitions: [] })
  const app = fixture.server.internalApp
  const installed = await adminRequest(app, 'POST', `${admin}/credential-definitions/tractus-x`)
  t.equal(installed.statusCode, 201)
  t.same(
    installed.json().items.map((item: { credentialType: string }) => item.credentialType),
    ['MembershipCredential', 'BpnCredential', 'DataExchangeGovernanceCredential'],
  )
  t.equal((await adminRequest(app, 'POST', `${admin}/credential-definitions/tractus-x`)).json().items.length, 0, 'installing twice adds nothing')
  const other = await startLoopbackHolder(t, 'other')
  await registerHolder(app, other.party.did, { bpn: 'BPNL000000000002' })

  const response = await dcpFetch(fixture.baseUrl, `/p/${issuerId}/is/credentials`, {
    token: await fixture.holderToken(),
    body: requestMessage('pid-1', ['membership-credential', 'bpn-credential', 'data-exchange-governance-credential']),
  })
  t.equal(response.status, 201)
  const [delivery] = await fixture.holder.waitForDeliveries(1)
  const byType = Object.fromEntries(
    delivery!.body.credentials.map((c: { credentialType: string; payload: string }) => [c.credentialType, c.payload]),
  )
  const membership = byType.MembershipCredential as string

  t.test('Tractus-X credential subjects', async (t) => {
    const subjectOf = (jwt: string) => (decodeJwt(jwt).vc as { credentialSubject: Record<string, unknown> }).credentialSubject
    t.equal(subjectOf(membership).holderIdentifier, 'BPNL000000000001')
    t.equal(subjectOf(byType.BpnCredential).bpn, 'BPNL000000000001')
    const governance = subjectOf(byType.DataExchangeGovernanceCredential)
    t.equal(governance.contractVersion, '1.0')
    t.equal(governance.useCase, 'DataExchangeGovernance')
    t.same((decodeJwt(membership).vc as { '@context': string[] })['@context'], [
      'https://www.w3.org/2018/credentials/v1',
      'https://w3id.org/catenax/credentials/v1.0.0',
    ])
  })

  t.test('member gets the gzip map', async (t) => {
    const result = await fetchDirectory(fixture, `Bearer ${await presentation(fixture.holder, [membership])}`)
    t.equal(result.statusCode, 200)
    t.equal(result.headers['content-encoding'], 'gzip')
    t.same(JSON.parse(gunzipSync(result.rawPayload).toString('utf8')), {
      BPNL000000000001: fixture.holder.party.did,
      BPNL000000000002: other.party.did,
    })
  })

  t.test('replayed presentation rejected', async (t) => {
    const authorization = `Bearer ${await presentation(fixture.holder, [membership])}`
    t.equal((await fetchDirectory(fixture, authorization)).statusCode, 200, 'first use')
    const replay = await fetchDirectory(fixture, authorization)
    t.equal(replay.statusCode, 401, 'second use')
    t.equal(replay.json().error, 'ERR_AUTH_INVALID')
    const fresh = await fetchDirectory(fixture, `Bearer ${await presentation(fixture.holder, [membership])}`)
    t.equal(fresh.statusCode, 200, 'a new presentation is accepted')
  })

  t.test('rejected callers', async (t) => {
    const cases: Array<[string, () => Promise<string | undefined>]> = [
      ['no header', async () => undefined],
      ['two audiences', async () => `Bearer ${await presentation(fixture.holder, [membership], ['a', 'b'])}`],
      ['not a membership', async () => `Bearer ${await presentation(fixture.holder, [byType.BpnCredential])}`],
      ['someone else presents it', async () => `Bearer ${await presentation(other, [membership])}`],
      ['no credentials', async () => `Bearer ${await presentation(fixture.holder, [])}`],
    ]
    for (const [name, authorization] of cases) {
      const result = await fetchDirectory(fixture, await authorization())
      t.equal(result.statusCode, 401, name)
    }
  })

  t.test('revoked membership', async (t) => {
    const id = String(decodeJwt(membership).jti).replace('urn:uuid:', '')
    t.equal((await adminRequest(app, 'POST', `${admin}/issued-credentials/${id}/revoke`)).statusCode, 200)
    const result = await fetchDirectory(fixture, `Bearer ${await presentation(fixture.holder, [membership])}`)
    t.equal(result.statusCode, 401)
    t.equal(result.json().error, 'ERR_AUTH_INVALID')
  })
})
