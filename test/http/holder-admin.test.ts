import t from 'tap'
import { isTypeAllowed } from '../../src/holder/verifier-access-policy.js'
import { createApiKey, createParticipant } from '../helpers/admin.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { startLoopbackParties, vc11Claims } from '../helpers/dcp-parties.js'
import { adminRequest, startTestServer } from '../helpers/server.js'

const holderDid = 'did:web:localhost%3A8080:holder'
const verifierDid = 'did:web:verifier.example%3A8443:dsp'

for (const kind of databaseKinds) {
  t.test(`holder admin API (${kind})`, async (t) => {
    const parties = await startLoopbackParties(t)
    const issuer = await parties.add('issuer')
    const db = await createTestDatabase(t, kind)
    const server = await startTestServer(t, { db, env: { DID_WEB_HTTP_HOSTS: parties.host, STATUS_REFRESH_INTERVAL_SECONDS: '0' } })
    const app = server.internalApp
    await createParticipant(app, { id: 'holder', did: holderDid })
    await createParticipant(app, { id: 'other', did: 'did:web:localhost%3A8080:other' })
    const otherKey = await createApiKey(app, 'other')
    const issuerPath = `/v1/participants/holder/trusted-issuers/${encodeURIComponent(issuer.did)}`
    const auditOf = async (action: string) => (await adminRequest(app, 'GET', `/v1/audit?action=${action}`)).json().items

    t.test('trusted issuers are put, listed and deleted', async (t) => {
      const put = await adminRequest(app, 'PUT', issuerPath, { body: { credentialTypes: ['MembershipCredential'] } })
      t.equal(put.statusCode, 200, put.body)
      t.same(put.json().credentialTypes, ['MembershipCredential'])
      t.equal(put.json().relaxedDataModel, false)
      const list = await adminRequest(app, 'GET', '/v1/participants/holder/trusted-issuers')
      t.same(list.json().items.map((item: { issuerDid: string }) => item.issuerDid), [issuer.did])
      t.equal((await adminRequest(app, 'DELETE', issuerPath)).statusCode, 204)
      const again = await adminRequest(app, 'DELETE', issuerPath)
      t.equal(again.statusCode, 404)
      t.equal(again.json().error, 'ERR_TRUSTED_ISSUER_NOT_FOUND')
      const [failure, success] = await auditOf('trusted-issuer.delete')
      t.equal(failure.outcome, 'failure')
      t.equal(failure.errorCode, 'ERR_TRUSTED_ISSUER_NOT_FOUND')
      t.equal(success.outcome, 'success')
      t.equal(success.target, `issuer:${issuer.did}`)
      t.equal((await auditOf('trusted-issuer.put'))[0].actor, 'admin')
    })

    t.test('routes need a credential of the participant', async (t) => {
      const none = await adminRequest(app, 'GET', '/v1/participants/holder/trusted-issuers', { token: null })
      t.equal(none.statusCode, 401)
      for (const url of ['trusted-issuers', 'credentials', 'offers', 'verifier-policies']) {
        const foreign = await adminRequest(app, 'GET', `/v1/participants/holder/${url}`, { token: otherKey })
        t.equal(foreign.statusCode, 403, url)
        t.equal(foreign.json().error, 'ERR_AUTH_FORBIDDEN')
      }
      const own = await adminRequest(app, 'GET', '/v1/participants/other/credentials', { token: otherKey })
      t.equal(own.statusCode, 200)
    })

    t.test('unknown participant is 404', async (t) => {
      for (const url of ['trusted-issuers', 'credentials', 'offers', 'verifier-policies']) {
        const response = await adminRequest(app, 'GET', `/v1/participants/nobody/${url}`)
        t.equal(response.statusCode, 404, url)
        t.equal(response.json().error, 'ERR_PARTICIPANT_NOT_FOUND')
      }
    })

    t.test('credentials are imported, listed, read and deleted', async (t) => {
      const ids: string[] = []
      for (const type of ['MembershipCredential', 'BpnCredential', 'MembershipCredential']) {
        const credential = await issuer.sign(vc11Claims(issuer.did, holderDid, type))
        const response = await adminRequest(app, 'POST', '/v1/participants/holder/credentials', { body: { credential } })
        t.equal(response.statusCode, 201, response.body)
        t.equal(response.json().raw, credential)
        ids.push(response.json().id)
      }
      const membership = await adminRequest(app, 'GET', '/v1/participants/holder/credentials?type=MembershipCredential')
      t.equal(membership.json().items.length, 2)

      const first = await adminRequest(app, 'GET', '/v1/participants/holder/credentials?limit=2')
      t.equal(first.json().items.length, 2)
      const second = await adminRequest(app, 'GET', `/v1/participants/holder/credentials?limit=2&after=${first.json().next}`)
      const paged = [...first.json().items, ...second.json().items].map((item: { id: string }) => item.id)
      t.same(paged.toSorted(), ids.toSorted(), 'paging returns each credential once')

      const one = await adminRequest(app, 'GET', `/v1/participants/holder/credentials/${ids[1]}`)
      t.same(one.json().types, ['VerifiableCredential', 'BpnCredential'])
      t.equal((await adminRequest(app, 'DELETE', `/v1/participants/holder/credentials/${ids[1]}`)).statusCode, 204)
      const gone = await adminRequest(app, 'GET', `/v1/participants/holder/credentials/${ids[1]}`)
      t.equal(gone.statusCode, 404)
      t.equal(gone.json().error, 'ERR_CREDENTIAL_NOT_FOUND')
      t.equal((await auditOf('credential.import')).length, 3)
      t.equal((await auditOf('credential.delete'))[0].target, `credential:${ids[1]}`)
    })

    t.test('refused import names the reason and is audited', async (t) => {
      const credential = await issuer.sign(vc11Claims(issuer.did, 'did:web:someone.else', 'MembershipCredential'))
      const response = await adminRequest(app, 'POST', '/v1/participants/holder/credentials', { body: { credential } })
      t.equal(response.statusCode, 400)
      t.equal(response.json().error, 'ERR_CREDENTIAL_INVALID')
      t.equal(response.json().message, `the credential is issued to "did:web:someone.else", not to "${holderDid}"`)
      const [failure] = await auditOf('credential.import')
      t.equal(failure.outcome, 'failure')
      t.equal(failure.errorCode, 'ERR_CREDENTIAL_INVALID')

      const notCredential = await adminRequest(app, 'POST', '/v1/participants/holder/credentials', { body: { credential: 'not a credential' } })
      t.equal(notCredential.json().error, 'ERR_CREDENTIAL_FORMAT_UNSUPPORTED')

      const notDataIntegrity = await adminRequest(app, 'POST', '/v1/participants/holder/credentials', { body: { credential: '{"@context":[]}' } })
      t.equal(notDataIntegrity.json().error, 'ERR_CREDENTIAL_INVALID')
      t.match(notDataIntegrity.json().message, /first "@context"/)
    })

    t.test('verifier policy narrows the presented types', async (t) => {
      const path = `/v1/participants/holder/verifier-policies/${encodeURIComponent(verifierDid)}`
      t.equal(await isTypeAllowed(db, 'holder', verifierDid, 'BpnCredential'), true, 'no rules allow every type')

      const put = await adminRequest(app, 'PUT', path, { body: { allow: ['MembershipCredential', 'BpnCredential'], deny: ['BpnCredential'] } })
      t.equal(put.statusCode, 200, put.body)
      t.same(put.json(), { verifierDid, allow: ['BpnCredential', 'MembershipCredential'], deny: ['BpnCredential'] })
      t.equal(await isTypeAllowed(db, 'holder', verifierDid, 'MembershipCredential'), true)
      t.equal(await isTypeAllowed(db, 'holder', verifierDid, 'BpnCredential'), false, 'deny wins over allow')
      t.equal(await isTypeAllowed(db, 'holder', verifierDid, 'DataExchangeGovernanceCredential'), false, 'allow list excludes others')
      t.equal(await isTypeAllowed(db, 'holder', verifierDid, 'VerifiableCredential'), true)
      t.equal(await isTypeAllowed(db, 'holder', 'did:web:another.example', 'BpnCredential'), true, 'rules are per verifier')
      t.equal(await isTypeAllowed(db, 'other', verifierDid, 'BpnCredential'), true, 'rules are per participant')

      await adminRequest(app, 'PUT', path, { body: { deny: ['BpnCredential'] } })
      t.equal(await isTypeAllowed(db, 'holder', verifierDid, 'DataExchangeGovernanceCredential'), true, 'deny only')
      t.equal(await isTypeAllowed(db, 'holder', verifierDid, 'BpnCredential'), false)

      const list = await adminRequest(app, 'GET', '/v1/participants/holder/verifier-policies')
      t.same(list.json().items, [{ verifierDid, allow: [], deny: ['BpnCredential'] }])
      t.equal((await adminRequest(app, 'DELETE', path)).statusCode, 204)
      const again = await adminRequest(app, 'DELETE', path)
      t.equal(again.statusCode, 404)
      t.equal(again.json().error, 'ERR_VERIFIER_POLICY_NOT_FOUND')
      t.equal((await auditOf('verifier-policy.put')).length, 2)
    })
  })
}
