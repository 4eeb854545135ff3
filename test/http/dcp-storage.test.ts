import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import type { JWTPayload } from 'jose'
import { dcpContextV08, dcpContextV1 } from '../../src/dcp/context.js'
import { insertCredentialRequest, findCredentialRequest } from '../../src/storage/credential-request-repository.js'
import { createParticipant } from '../helpers/admin.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { startLoopbackParties, tckRc6CredentialClaims, vc11Claims } from '../helpers/dcp-parties.js'
import { adminRequest, startTestServer } from '../helpers/server.js'
import { createTestParty, selfIssuedClaims, type TestParty } from '../helpers/test-party.js'

const holderDid = 'did:web:localhost%3A8080:holder'
const storageUrl = '/p/holder/cs/credentials'

/** Sets up the holder, a TCK-like issuer and third party on a loopback did:web host. */
async function setUp(t: Test, kind: (typeof databaseKinds)[number]) {
  const parties = await startLoopbackParties(t)
  const issuer = await parties.add('issuer')
  const thirdParty = await parties.add('thirdparty')
  const db = await createTestDatabase(t, kind)
  const server = await startTestServer(t, { db, env: { DID_WEB_HTTP_HOSTS: parties.host } })
  await createParticipant(server.internalApp, { id: 'holder', did: holderDid })
  return { parties, issuer, thirdParty, db, server }
}

async function trust(app: Parameters<typeof adminRequest>[0], issuerDid: string, body: object = { relaxedDataModel: true }) {
  const response = await adminRequest(app, 'PUT', `/v1/participants/holder/trusted-issuers/${encodeURIComponent(issuerDid)}`, { body })
  if (response.statusCode !== 200) throw new Error(`trusting the issuer failed: ${response.body}`)
}

/** A CredentialMessage as DCP TCK 1.0.0-RC6 sends it, with two RC6 test credentials. */
async function tckMessage(issuer: TestParty, overrides: Record<string, unknown> = {}) {
  const credentials = []
  for (const type of ['MembershipCredential', 'SensitiveDataCredential']) {
    const payload = await issuer.sign(tckRc6CredentialClaims(issuer.did, holderDid, type))
    credentials.push({ credentialType: type, format: 'VC1_0_JWT', payload })
  }
  return {
    '@context': [dcpContextV1],
    type: 'CredentialMessage',
    requestId: 'correlation-id',
    holderPid: 'correlation-id',
    issuerPid: randomUUID(),
    status: 'ISSUED',
    credentials,
    ...overrides,
  }
}

function post(server: Awaited<ReturnType<typeof setUp>>['server'], token: string | null, body: unknown, authorization?: string) {
  return server.publicApp.inject({
    method: 'POST',
    url: storageUrl,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(authorization !== undefined ? { authorization } : token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    payload: JSON.stringify(body),
  })
}

async function storedCount(server: Awaited<ReturnType<typeof setUp>>['server']): Promise<number> {
  return (await adminRequest(server.internalApp, 'GET', '/v1/participants/holder/credentials')).json().items.length
}

for (const kind of databaseKinds) {
  t.test(`DCP TCK CredentialIssuanceTest, 6.5.1 (${kind})`, async (t) => {
    const { issuer, thirdParty, server } = await setUp(t, kind)
    await trust(server.internalApp, issuer.did)
    const token = (extra: JWTPayload = {}) => issuer.sign(selfIssuedClaims(issuer.did, holderDid, extra))
    const hour = 3600
    const now = Math.floor(Date.now() / 1000)

    t.test('6.5.1 credentialMessage is stored', async (t) => {
      const response = await post(server, await token(), await tckMessage(issuer))
      t.equal(response.statusCode, 200, response.body)
      t.equal(await storedCount(server), 2)
    })

    t.test('6.5.1 noAuthHeader is rejected', async (t) => {
      const response = await post(server, null, await tckMessage(issuer))
      t.equal(response.statusCode, 401)
      t.equal(response.json().error, 'ERR_AUTH_MISSING')
    })

    t.test('6.5.1 missingBearerPrefix is rejected', async (t) => {
      const response = await post(server, null, await tckMessage(issuer), await token())
      t.equal(response.statusCode, 401)
      t.equal(response.json().error, 'ERR_AUTH_MISSING')
    })

    t.test('6.5.1 invalidBody without holderPid is rejected', async (t) => {
      const body: Record<string, unknown> = await tckMessage(issuer)
      delete body.holderPid
      const response = await post(server, await token(), body)
      t.equal(response.statusCode, 400)
      t.equal(response.json().error, 'ERR_REQUEST_INVALID')
      t.match(response.json().message, /holderPid/)
    })

    t.test('6.5.1 tokenSignedWithWrongKey is rejected', async (t) => {
      const impostor = await createTestParty(issuer.did)
      const response = await post(server, await impostor.sign(selfIssuedClaims(issuer.did, holderDid)), await tckMessage(issuer))
      t.equal(response.statusCode, 401)
      t.equal(response.json().error, 'ERR_TOKEN_SIGNATURE_INVALID')
    })

    t.test('6.5.1 tokenExpired is rejected', async (t) => {
      const response = await post(server, await token({ iat: now - 2 * hour, exp: now - hour }), await tckMessage(issuer))
      t.equal(response.statusCode, 401)
      t.equal(response.json().error, 'ERR_TOKEN_EXPIRED')
    })

    t.test('6.5.1 iatInFuture is rejected', async (t) => {
      const response = await post(server, await token({ iat: now + hour, exp: now + 2 * hour }), await tckMessage(issuer))
      t.equal(response.statusCode, 401)
      t.equal(response.json().error, 'ERR_TOKEN_NOT_YET_VALID')
    })

    t.test('6.5.1 nbfViolated is rejected', async (t) => {
      const response = await post(server, await token({ nbf: now + hour }), await tckMessage(issuer))
      t.equal(response.statusCode, 401)
      t.equal(response.json().error, 'ERR_TOKEN_NOT_YET_VALID')
    })

    t.test('6.5.1 incorrectAudience is rejected', async (t) => {
      const response = await post(server, await token({ aud: thirdParty.did }), await tckMessage(issuer))
      t.equal(response.statusCode, 401)
      t.equal(response.json().error, 'ERR_TOKEN_AUDIENCE_MISMATCH')
    })

    t.test('6.5.1 issNotEqualToSub is rejected', async (t) => {
      const response = await post(server, await token({ sub: thirdParty.did }), await tckMessage(issuer))
      t.equal(response.statusCode, 401)
      t.equal(response.json().error, 'ERR_TOKEN_SUBJECT_MISMATCH')
    })

    t.test('6.5.1 jtiAlreadyUsed is rejected on replay', async (t) => {
      const reused = await token()
      t.equal((await post(server, reused, await tckMessage(issuer))).statusCode, 200)
      const replay = await post(server, reused, await tckMessage(issuer))
      t.equal(replay.statusCode, 401)
      t.equal(replay.json().error, 'ERR_TOKEN_REPLAYED')
    })

    t.test('6.5.1 invalidStatus is rejected', async (t) => {
      const response = await post(server, await token(), await tckMessage(issuer, { status: 'INVALID_STATUS' }))
      t.equal(response.statusCode, 400)
      t.match(response.json().message, /status/)
    })
  })

  t.test(`Storage API admission and storage (${kind})`, async (t) => {
    const { issuer, thirdParty, server, db } = await setUp(t, kind)
    const token = (party: TestParty = issuer) => party.sign(selfIssuedClaims(party.did, holderDid))

    async function message(party: TestParty, holderPid: string, types = ['MembershipCredential'], extra: object = {}) {
      const credentials = []
      for (const type of types) {
        credentials.push({ credentialType: type, format: 'vc11-sl2021/jwt', payload: await party.sign(vc11Claims(party.did, holderDid, type)) })
      }
      return { '@context': [dcpContextV1], type: 'CredentialMessage', holderPid, issuerPid: randomUUID(), status: 'ISSUED', credentials, ...extra }
    }

    t.test('unsolicited message from an untrusted issuer is rejected', async (t) => {
      const response = await post(server, await token(), await message(issuer, 'unknown-pid'))
      t.equal(response.statusCode, 403)
      t.equal(response.json().error, 'ERR_CREDENTIAL_MESSAGE_UNSOLICITED')
      t.equal(await storedCount(server), 0)
    })

    t.test('message answering a pending request is stored', async (t) => {
      await insertCredentialRequest(db, { participantId: 'holder', holderPid: 'pid-1', issuerDid: issuer.did })
      const response = await post(server, await token(), await message(issuer, 'pid-1'))
      t.equal(response.statusCode, 200, response.body)
      const request = await findCredentialRequest(db, 'holder', 'pid-1')
      t.equal(request?.state, 'issued')
      t.equal(await storedCount(server), 1)
    })

    t.test('request to another issuer does not admit the sender', async (t) => {
      await insertCredentialRequest(db, { participantId: 'holder', holderPid: 'pid-2', issuerDid: issuer.did })
      const response = await post(server, await token(thirdParty), await message(thirdParty, 'pid-2'))
      t.equal(response.statusCode, 403)
      t.equal(response.json().error, 'ERR_CREDENTIAL_MESSAGE_UNSOLICITED')
    })

    t.test('REJECTED message closes the request', async (t) => {
      await insertCredentialRequest(db, { participantId: 'holder', holderPid: 'pid-3', issuerDid: issuer.did })
      const body = { '@context': [dcpContextV1], type: 'CredentialMessage', holderPid: 'pid-3', issuerPid: 'is-3', status: 'REJECTED', rejectionReason: 'policy not met' }
      const response = await post(server, await token(), body)
      t.equal(response.statusCode, 200, response.body)
      const request = await findCredentialRequest(db, 'holder', 'pid-3')
      t.equal(request?.state, 'rejected')
      t.equal(request?.rejectionReason, 'policy not met')
      t.equal(request?.issuerPid, 'is-3')
      const late = await post(server, await token(), await message(issuer, 'pid-3'))
      t.equal(late.statusCode, 403, 'a rejected request admits no later delivery')
    })

    t.test('a message with one bad credential stores none', async (t) => {
      await insertCredentialRequest(db, { participantId: 'holder', holderPid: 'pid-4', issuerDid: issuer.did })
      const body = await message(issuer, 'pid-4', ['MembershipCredential', 'BpnCredential'])
      const foreign = await thirdParty.sign(vc11Claims(thirdParty.did, holderDid, 'BpnCredential'))
      body.credentials[1]!.payload = foreign
      const before = await storedCount(server)
      const response = await post(server, await token(), body)
      t.equal(response.statusCode, 400)
      t.equal(response.json().error, 'ERR_CREDENTIAL_INVALID')
      t.match(response.json().message, /^credentials\[1\]: the credential is issued by/)
      t.equal(await storedCount(server), before)
      t.equal((await findCredentialRequest(db, 'holder', 'pid-4'))?.state, 'requested')
    })

    t.test('credential for another holder is rejected', async (t) => {
      await insertCredentialRequest(db, { participantId: 'holder', holderPid: 'pid-5', issuerDid: issuer.did })
      const payload = await issuer.sign(vc11Claims(issuer.did, 'did:web:someone.else', 'MembershipCredential'))
      const body = await message(issuer, 'pid-5')
      body.credentials[0]!.payload = payload
      const response = await post(server, await token(), body)
      t.equal(response.statusCode, 400)
      t.match(response.json().message, /not to "did:web:localhost%3A8080:holder"/)
    })

    t.test('repeated delivery stores each credential once', async (t) => {
      await trust(server.internalApp, issuer.did, {})
      const body = await message(issuer, 'unsolicited-1')
      const before = await storedCount(server)
      t.equal((await post(server, await token(), body)).statusCode, 200)
      t.equal((await post(server, await token(), body)).statusCode, 200)
      t.equal(await storedCount(server), before + 1)
    })

    t.test('strict checks apply to a trusted issuer without the relaxed setting', async (t) => {
      await trust(server.internalApp, issuer.did, {})
      const response = await post(server, await token(), await tckMessage(issuer))
      t.equal(response.statusCode, 400)
      t.match(response.json().message, /VerifiableCredential/)
    })

    t.test('trusted issuer limited to other types is rejected', async (t) => {
      await trust(server.internalApp, issuer.did, { credentialTypes: ['BpnCredential'] })
      const response = await post(server, await token(), await message(issuer, 'unsolicited-2'))
      t.equal(response.statusCode, 403)
      t.equal(response.json().error, 'ERR_CREDENTIAL_TYPE_NOT_TRUSTED')
    })

    t.test('DCP 0.8 context and @type are accepted', async (t) => {
      await trust(server.internalApp, issuer.did, {})
      const body: Record<string, unknown> = await message(issuer, 'unsolicited-3', ['BpnCredential'])
      delete body.type
      const response = await post(server, await token(), { ...body, '@context': [dcpContextV08], '@type': 'CredentialMessage' })
      t.equal(response.statusCode, 200, response.body)
    })

    t.test('message without a DCP context is rejected', async (t) => {
      const response = await post(server, await token(), await message(issuer, 'x', ['BpnCredential'], { '@context': ['https://example.com'] }))
      t.equal(response.statusCode, 400)
      t.equal(response.json().error, 'ERR_DCP_MESSAGE_INVALID')
    })

    t.test('ISSUED message without credentials is rejected', async (t) => {
      await trust(server.internalApp, issuer.did, {})
      const response = await post(server, await token(), await message(issuer, 'unsolicited-4', []))
      t.equal(response.statusCode, 400)
      t.equal(response.json().error, 'ERR_DCP_MESSAGE_INVALID')
      t.equal(response.json().message, 'an ISSUED "CredentialMessage" must have at least one entry in "credentials"')
    })

    t.test('message without type is rejected', async (t) => {
      const body: Record<string, unknown> = await message(issuer, 'unsolicited-5')
      delete body.type
      const response = await post(server, await token(), body)
      t.equal(response.statusCode, 400)
      t.equal(response.json().message, 'missing "type": expected "CredentialMessage"')
    })

    t.test('unknown container format is rejected', async (t) => {
      const body = await message(issuer, 'unsolicited-6')
      const response = await post(server, await token(), { ...body, credentials: [{ ...body.credentials[0], format: 'ldp_vc' }] })
      t.equal(response.statusCode, 400)
      t.equal(response.json().error, 'ERR_REQUEST_INVALID')
    })

    t.test('unknown participant is 404', async (t) => {
      const response = await server.publicApp.inject({ method: 'POST', url: '/p/nobody/cs/credentials', payload: {} })
      t.equal(response.statusCode, 404)
    })
  })
}
