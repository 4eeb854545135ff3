import t from 'tap'
import { secretMatches } from '../../src/participants/api-key-secret.js'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { findStsClientCredential } from '../../src/storage/sts-client-repository.js'
import { verifyAccessToken } from '../../src/tokens/access-token.js'
import { AccessTokenKeys } from '../../src/tokens/access-token-keys.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { adminRequest, startTestServer } from '../helpers/server.js'

for (const kind of databaseKinds) {
  t.test(`${kind}: STS client administration`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { internalApp: app } = await startTestServer(t, { db })
    const did = 'did:web:localhost%3A8080:companyx'

    const created = await adminRequest(app, 'POST', '/v1/participants', {
      body: { id: 'companyx', did, displayName: 'X', roles: ['holder'] },
    })
    t.equal(created.statusCode, 201)
    const { clientId, clientSecret } = created.json().stsClient
    t.equal(clientId, did, 'client id defaults to the DID')
    t.match(clientSecret, /^[A-Za-z0-9_-]{43}$/)

    const stored = await findStsClientCredential(db, did)
    t.ok(stored && secretMatches(clientSecret, stored.secretHash), 'only a digest is stored and it matches')
    t.equal(stored?.participantDid, did)

    const read = await adminRequest(app, 'GET', '/v1/participants/companyx/sts-client')
    t.same(Object.keys(read.json()).sort(), ['clientId', 'createdAt', 'participantId', 'rotatedAt'])

    t.test('rotation replaces the secret', async (t) => {
      const rotated = await adminRequest(app, 'POST', '/v1/participants/companyx/sts-client/rotate-secret')
      t.equal(rotated.statusCode, 200)
      const { clientSecret: newSecret, rotatedAt } = rotated.json()
      t.type(rotatedAt, 'string')
      const credential = await findStsClientCredential(db, did)
      t.notOk(secretMatches(clientSecret, credential!.secretHash), 'old secret no longer matches')
      t.ok(secretMatches(newSecret, credential!.secretHash))
    })

    t.test('rotating the access token key keeps the key before it', async (t) => {
      const holderDid = did
      const secret = 'access-token-test-secret-0123456789'
      await adminRequest(app, 'PUT', '/v1/participants/companyx/sts-client/secret', { body: { clientSecret: secret } })
      const mint = async () => {
        const response = await app.inject({
          method: 'POST',
          url: '/sts/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: did, client_secret: secret, audience: 'did:web:verifier.example', bearer_access_scope: 'org.eclipse.tractusx.vc.type:MembershipCredential:read' }).toString(),
        })
        t.equal(response.statusCode, 200, response.body)
        return decodeJwt(response.json().access_token).token as string
      }
      const first = await mint()
      const rotated = await adminRequest(app, 'POST', '/v1/participants/companyx/sts-client/rotate-access-token-key')
      t.equal(rotated.statusCode, 200, rotated.body)
      t.same(Object.keys(rotated.json()).sort(), ['createdAt', 'keyId', 'participantId'])
      const second = await mint()
      t.equal(decodeProtectedHeader(second).kid, rotated.json().keyId, 'new tokens use the new key')
      await adminRequest(app, 'POST', '/v1/participants/companyx/sts-client/rotate-access-token-key')
      const keys = new AccessTokenKeys({ db, ttlSeconds: 0 })
      const check = { participantId: 'companyx', holderDid, presenterDid: 'did:web:verifier.example', nowSeconds: Math.floor(Date.now() / 1000), leewaySeconds: 5 }
      await t.resolves(verifyAccessToken(keys, second, check), 'a token of the key before the last rotation still verifies')
      await t.rejects(verifyAccessToken(keys, first, check), { code: 'ERR_ACCESS_TOKEN_INVALID' }, 'a token two rotations old does not')
      const missing = await adminRequest(app, 'POST', '/v1/participants/nobody/sts-client/rotate-access-token-key')
      t.equal(missing.statusCode, 404)
    })

    t.test('a given secret can be set and must be long enough', async (t) => {
      const secret = 'vault-kept-secret-0123456789abcdef'
      const set = await adminRequest(app, 'PUT', '/v1/participants/companyx/sts-client/secret', { body: { clientSecret: secret } })
      t.equal(set.statusCode, 200)
      t.notOk('clientSecret' in set.json())
      t.ok(secretMatches(secret, (await findStsClientCredential(db, did))!.secretHash))
      const short = await adminRequest(app, 'PUT', '/v1/participants/companyx/sts-client/secret', { body: { clientSecret: 'short' } })
      t.equal(short.statusCode, 400)
      t.match(short.json().message, /^invalid field "body.clientSecret"/)
    })

    t.test('custom client id and its uniqueness', async (t) => {
      const custom = await adminRequest(app, 'POST', '/v1/participants', {
        body: { id: 'companyy', did: 'did:web:y.example', displayName: 'Y', roles: ['holder'], stsClientId: 'connector-y' },
      })
      t.equal(custom.json().stsClient.clientId, 'connector-y')
      const clash = await adminRequest(app, 'POST', '/v1/participants', {
        body: { id: 'companyz', did: 'did:web:z.example', displayName: 'Z', roles: ['holder'], stsClientId: 'connector-y' },
      })
      t.equal(clash.statusCode, 409)
      t.same(clash.json(), { error: 'ERR_PARTICIPANT_CONFLICT', message: 'STS client id "connector-y" is already in use' })
      t.equal((await adminRequest(app, 'GET', '/v1/participants/companyz')).statusCode, 404, 'nothing half-created')
    })

    t.test('changes are audited and limited to the participant', async (t) => {
      const audit = (await adminRequest(app, 'GET', '/v1/audit?participantId=companyx')).json().items
      t.same(
        audit.map((row: { action: string }) => row.action),
        ['sts-client.set-secret', 'sts-client.rotate-access-token-key', 'sts-client.rotate-access-token-key', 'sts-client.set-secret', 'sts-client.rotate-secret', 'participant.create'],
        'a body that fails the schema changes nothing and is not audited',
      )
      const rotation = audit.find((row: { action: string }) => row.action === 'sts-client.rotate-access-token-key')
      t.type(rotation.detail.newKeyId, 'string', 'a key rotation records the new key id')
      const key = (await adminRequest(app, 'POST', '/v1/participants/companyy/api-keys', { body: { name: 'y' } })).json()
      const forbidden = await adminRequest(app, 'POST', '/v1/participants/companyx/sts-client/rotate-secret', { token: key.token })
      t.equal(forbidden.statusCode, 403)
    })
  })
}
