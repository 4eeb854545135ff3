import t from 'tap'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { verifyCredential } from 'did-jwt-vc'
import { decodeStatusList, statusBitAt } from '../../src/credentials/status-list.js'
import { createTestDatabase } from '../helpers/databases.js'
import { dcpFetch, issuerDid, issuerId, requestMessage, startIssuerFixture, type IssuerFixture, type JsonBody } from '../helpers/issuer-fixture.js'
import { adminRequest } from '../helpers/server.js'

const admin = `/v1/participants/${issuerId}/issuer`

const definitions = [
  {
    id: 'membership',
    credentialType: 'MembershipCredential',
    suspendable: true,
    claims: { holderIdentifier: { attribute: 'bpn' } },
  },
  {
    id: 'membership-v2',
    credentialType: 'MembershipCredential',
    profile: 'vc20-bssl/jwt',
    claims: { holderIdentifier: { attribute: 'bpn' } },
  },
]

interface StatusEntry {
  type: string
  statusPurpose: string
  statusListIndex: string
  statusListCredential: string
}

async function issue(fixture: IssuerFixture, holderPid: string, definitionId: string) {
  const before = fixture.holder.deliveries.length
  const response = await dcpFetch(fixture.baseUrl, `/p/${issuerId}/is/credentials`, {
    token: await fixture.holderToken(),
    body: requestMessage(holderPid, [definitionId]),
  })
  if (response.status !== 201) throw new Error(`request failed: ${JSON.stringify(response.body)}`)
  const deliveries = await fixture.holder.waitForDeliveries(before + 1)
  return deliveries[before]!.body.credentials[0].payload as string
}

/** Fetches the list an entry names through the public listener and reads the entry's bit. */
async function bitOf(fixture: IssuerFixture, entry: StatusEntry): Promise<boolean> {
  const response = await fixture.server.publicApp.inject({
    method: 'GET',
    url: new URL(entry.statusListCredential).pathname,
    headers: { accept: 'application/vc+jwt' },
  })
  const claims = decodeJwt(response.body)
  const document = (claims.vc ?? claims) as { credentialSubject: { encodedList: string } }
  return statusBitAt(decodeStatusList(document.credentialSubject.encodedList), Number(entry.statusListIndex))
}

t.test('status lists', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const fixture = await startIssuerFixture(t, { db, definitions })
  const app = fixture.server.internalApp
  const credentialId = (jwt: string) => String((decodeJwt(jwt).jti ?? decodeJwt(jwt).id) as string).replace('urn:uuid:', '')

  const jwt = await issue(fixture, 'pid-1', 'membership')
  const vc = decodeJwt(jwt).vc as { credentialStatus: StatusEntry[] }
  const [revocation, suspension] = vc.credentialStatus
  const other = decodeJwt(await issue(fixture, 'pid-2', 'membership')).vc as { credentialStatus: StatusEntry[] }

  t.test('entries point at one list per purpose', async (t) => {
    t.equal(revocation!.type, 'StatusList2021Entry')
    t.equal(revocation!.statusPurpose, 'revocation')
    t.equal(suspension!.statusPurpose, 'suspension')
    t.not(revocation!.statusListCredential, suspension!.statusListCredential)
    t.equal(other.credentialStatus[0]!.statusListCredential, revocation!.statusListCredential, 'second credential shares the list')
    t.not(other.credentialStatus[0]!.statusListIndex, revocation!.statusListIndex)
    t.equal(await bitOf(fixture, revocation!), false)
  })

  t.test('list credential is signed and verifies', async (t) => {
    const response = await fixture.server.publicApp.inject({
      method: 'GET',
      url: new URL(revocation!.statusListCredential).pathname,
      headers: { accept: 'application/vc+jwt' },
    })
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^application\/vc\+jwt/)
    const header = decodeProtectedHeader(response.body)
    t.match(header.kid, new RegExp(`^${issuerDid}#`))
    const claims = decodeJwt(response.body)
    const listVc = claims.vc as JsonBody
    t.same(listVc.type, ['VerifiableCredential', 'StatusList2021Credential'])
    t.equal(listVc.id, revocation!.statusListCredential)
    t.equal(listVc.credentialSubject.type, 'StatusList2021')
    t.equal(listVc.credentialSubject.statusPurpose, 'revocation')
    t.equal(decodeStatusList(listVc.credentialSubject.encodedList).length, 131_072 / 8, 'list has 131,072 entries')
    const verified = await verifyCredential(response.body, fixture.server.context.resolver as unknown as Parameters<typeof verifyCredential>[1])
    t.equal(verified.issuer, issuerDid, 'did-jwt-vc verifies the list credential')
  })

  t.test('revocation sets the bit for good', async (t) => {
    const revoked = await adminRequest(app, 'POST', `${admin}/issued-credentials/${credentialId(jwt)}/revoke`)
    t.equal(revoked.statusCode, 200)
    t.equal(revoked.json().status, 'revoked')
    t.equal(await bitOf(fixture, revocation!), true)
    t.equal(await bitOf(fixture, other.credentialStatus[0]!), false, 'other credential unaffected')
    const resumed = await adminRequest(app, 'POST', `${admin}/issued-credentials/${credentialId(jwt)}/resume`)
    t.equal(resumed.statusCode, 409)
    t.equal(resumed.json().error, 'ERR_ISSUER_CREDENTIAL_STATE')
  })

  t.test('suspension and resumption', async (t) => {
    const id = String(decodeJwt(await issue(fixture, 'pid-3', 'membership')).jti).replace('urn:uuid:', '')
    const issued = (await adminRequest(app, 'GET', `${admin}/issued-credentials`)).json().items
    const entry = issued.find((item: { id: string }) => item.id === id)
    const suspensionEntry = {
      type: 'StatusList2021Entry',
      statusPurpose: 'suspension',
      statusListIndex: String(entry.suspension.index),
      statusListCredential: `http://localhost:8080/p/${issuerId}/status-lists/${entry.suspension.listId}`,
    }
    t.equal((await adminRequest(app, 'POST', `${admin}/issued-credentials/${id}/suspend`)).statusCode, 200)
    t.equal(await bitOf(fixture, suspensionEntry), true)
    t.equal((await adminRequest(app, 'POST', `${admin}/issued-credentials/${id}/resume`)).statusCode, 200)
    t.equal(await bitOf(fixture, suspensionEntry), false)
    const audit = await adminRequest(app, 'GET', '/v1/audit?action=issued-credential.suspend')
    t.equal(audit.json().items.length, 1)
  })

  t.test('content negotiation', async (t) => {
    const url = new URL(revocation!.statusListCredential).pathname
    const get = (accept: string) => fixture.server.publicApp.inject({ method: 'GET', url, headers: { accept } })
    const json = await get('application/json')
    t.equal(json.statusCode, 200)
    t.match(json.headers['content-type'], /^application\/json/)
    t.equal(json.json().credentialSubject.type, 'StatusList2021')
    t.match((await get('application/vc')).headers['content-type'], /^application\/vc/)
    t.match((await get('application/vc+jwt; charset=utf-8')).headers['content-type'], /^application\/vc\+jwt/)
    t.match((await get('text/html, application/json;q=0.5')).headers['content-type'], /^application\/json/)
    t.match((await get('application/vc+jwt, application/json;q=0.9')).headers['content-type'], /^application\/vc\+jwt/)
    t.match((await get('*/*')).headers['content-type'], /^application\/json/, 'StatusList2021 defaults to JSON')
    // The default Accept header of java.net.URL, through which EDC 0.13 fetches status lists.
    const javaDefault = await get('text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2')
    t.equal(javaDefault.statusCode, 200)
    t.match(javaDefault.headers['content-type'], /^application\/json/)
    t.equal(javaDefault.json().credentialSubject.encodedList, json.json().credentialSubject.encodedList)
    const noAccept = await fixture.server.publicApp.inject({ method: 'GET', url })
    t.match(noAccept.headers['content-type'], /^application\/json/)
    const refused = await get('text/html')
    t.equal(refused.statusCode, 406)
    t.equal(refused.json().error, 'ERR_STATUS_LIST_NOT_ACCEPTABLE')
    t.equal((await get('application/vc+jwt;q=0')).statusCode, 406)
    const unknown = await fixture.server.publicApp.inject({
      method: 'GET',
      url: `/p/${issuerId}/status-lists/00000000-0000-4000-8000-000000000000`,
    })
    t.equal(unknown.statusCode, 404)
    t.equal(unknown.json().error, 'ERR_STATUS_LIST_NOT_FOUND')
  })

  t.test('vc20-bssl credentials use Bitstring Status List', async (t) => {
    const claims = decodeJwt(await issue(fixture, 'pid-4', 'membership-v2'))
    t.same(claims['@context'], ['https://www.w3.org/ns/credentials/v2'])
    const entry = claims.credentialStatus as StatusEntry
    t.equal(entry.type, 'BitstringStatusListEntry')
    const response = await fixture.server.publicApp.inject({ method: 'GET', url: new URL(entry.statusListCredential).pathname })
    t.equal(decodeProtectedHeader(response.body).typ, 'vc+jwt')
    const wildcard = await fixture.server.publicApp.inject({
      method: 'GET',
      url: new URL(entry.statusListCredential).pathname,
      headers: { accept: '*/*' },
    })
    t.match(wildcard.headers['content-type'], /^application\/vc\+jwt/, 'Bitstring Status List defaults to the JWT')
    const list = decodeJwt(response.body) as { type: string[]; credentialSubject: { encodedList: string } }
    t.same(list.type, ['VerifiableCredential', 'BitstringStatusListCredential'])
    t.match(list.credentialSubject.encodedList, /^u/, 'multibase base64url prefix')
    t.equal(await bitOf(fixture, entry), false)
  })
})
