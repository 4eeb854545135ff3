import t from 'tap'
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose'
import { resolveVerificationKey } from '../../src/did/verification-key.js'
import { purposeOf } from '../../src/did/verification-method.js'
import { createTestDatabase } from '../helpers/databases.js'
import { dcpFetch, issuerDid, requestMessage, startIssuerFixture } from '../helpers/issuer-fixture.js'
import { createTestParty, selfIssuedClaims } from '../helpers/test-party.js'

// The Issuer Service cases of the DCP TCK 1.0.0-RC6 (package ...verification.issuance.issuer),
// titled by the sections of the rendered DCP specification, against the real HTTP endpoints. The
// TCK holder reuses one holderPid and accepts only the container format VC1_0_JWT, so this
// service runs with the two settings its conformance runs use.
const holderPid = 'tck-correlation-id'
const thirdPartyDid = 'did:web:127.0.0.1%3A1:thirdparty'

t.test('DCP TCK issuer suite', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const fixture = await startIssuerFixture(t, {
    db,
    env: { ISSUER_ALLOW_REPEATED_HOLDER_PID: 'true', ISSUER_CONTAINER_FORMAT: 'VC1_0_JWT' },
  })
  const { baseUrl, holder } = fixture
  const isPath = '/p/authority/is'
  const now = () => Math.floor(Date.now() / 1000)
  const request = (init: Parameters<typeof dcpFetch>[2]) =>
    dcpFetch(baseUrl, `${isPath}/credentials`, { body: requestMessage(holderPid), ...init })
  const newRequestId = async () => {
    const response = await request({ token: await fixture.holderToken() })
    t.equal(response.status, 201)
    return response.headers.get('location')!.split('/').at(-1)!
  }
  const status = (id: string, init: Parameters<typeof dcpFetch>[2]) => dcpFetch(baseUrl, `${isPath}/requests/${id}`, init)

  const wrongKeyToken = async () => {
    const impostor = await createTestParty(holder.party.did)
    return impostor.sign(selfIssuedClaims(holder.party.did, issuerDid))
  }
  const badTokens: Array<[string, () => Promise<string>]> = [
    ['wrong key', wrongKeyToken],
    ['expired', () => fixture.holderToken({ iat: now() - 360, exp: now() - 60 })],
    ['iat in future', () => fixture.holderToken({ iat: now() + 60 })],
    ['nbf violated', () => fixture.holderToken({ nbf: now() + 60 })],
    ['invalid aud', () => fixture.holderToken({ aud: thirdPartyDid })],
    ['iss not sub', () => fixture.holderToken({ sub: thirdPartyDid })],
  ]
  const requestSections = ['6.4.5', '6.4.6', '6.4.7', '6.4.8', '6.4.9', '6.4.10']
  const statusSections = ['6.8.5', '6.8.6', '6.8.7', '6.8.8', '6.8.9', '6.8.10']

  t.test('6.4.1 credential request is delivered within 10 s', async (t) => {
    const response = await request({ token: await fixture.holderToken() })
    t.equal(response.status, 201)
    t.match(response.headers.get('location'), /^http:\/\/localhost:8080\/p\/authority\/is\/requests\/[0-9a-f-]{36}$/)
    const [delivery] = await holder.waitForDeliveries(1, 10_000)
    await new Promise((resolve) => setTimeout(resolve, 300))
    t.equal(holder.deliveries.length, 1, 'one message, no repeats')
    const message = delivery!.body
    t.equal(message.type, 'CredentialMessage')
    t.equal(message.status, 'ISSUED')
    t.equal(message.holderPid, holderPid)
    t.equal(message.issuerPid, response.headers.get('location')!.split('/').at(-1))
    t.equal(message.credentials.length, 2, 'exactly two credentials')
    for (const container of message.credentials) {
      t.equal(container.format, 'VC1_0_JWT')
      const vc = decodeJwt(container.payload).vc as Record<string, unknown>
      t.type(vc.id, 'string')
      t.ok(Array.isArray(vc.type), 'array type')
      t.equal(vc.issuer, issuerDid)
      t.type(vc.credentialSubject, 'object')
    }
    t.same(message.credentials.map((c: { credentialType: string }) => c.credentialType).sort(), [
      'MembershipCredential',
      'SensitiveDataCredential',
    ])

    const token = delivery!.token
    const claims = decodeJwt(token)
    const header = decodeProtectedHeader(token)
    t.equal(claims.iss, issuerDid)
    t.equal(claims.sub, issuerDid)
    t.equal(claims.aud, holder.party.did)
    t.type(claims.jti, 'string')
    t.type(claims.exp, 'number')
    t.ok(claims.iat! <= now(), 'iat not in the future')
    t.notOk('nbf' in claims)
    t.match(header.kid, new RegExp(`^${issuerDid}#`))
    const { key } = await resolveVerificationKey(fixture.server.context.resolver, {
      did: issuerDid,
      kid: header.kid,
      alg: header.alg!,
      purpose: purposeOf.siToken,
    })
    await t.resolves(compactVerify(token, key.key), 'token verifies with the issuer DID key')
  })

  t.test('6.4.2 request without auth header', async (t) => {
    t.equal((await request({ token: null })).status, 401)
  })

  t.test('6.4.3 request without Bearer prefix', async (t) => {
    t.equal((await request({ authorization: await fixture.holderToken() })).status, 401)
  })

  t.test('6.4.4 request without credentials', async (t) => {
    const body: Record<string, unknown> = requestMessage(holderPid)
    delete body.credentials
    const response = await request({ token: await fixture.holderToken(), body })
    t.equal(response.status, 400)
    t.equal(response.body.error, 'ERR_DCP_MESSAGE_INVALID')
  })

  badTokens.forEach(([name, makeToken], position) => {
    t.test(`${requestSections[position]} request with ${name} token`, async (t) => {
      const response = await request({ token: await makeToken() })
      t.equal(response.status, 401)
      t.match(response.body.error, /^ERR_(TOKEN|DID)_/)
    })
  })

  t.test('6.4.11 request token used twice', async (t) => {
    const token = await fixture.holderToken()
    t.equal((await request({ token })).status, 201)
    const replay = await request({ token })
    t.equal(replay.status, 401)
    t.equal(replay.body.error, 'ERR_TOKEN_REPLAYED')
  })

  t.test('6.4.12 request without holderPid', async (t) => {
    const body: Record<string, unknown> = requestMessage(holderPid)
    delete body.holderPid
    const response = await request({ token: await fixture.holderToken(), body })
    t.equal(response.status, 400)
    t.match(response.body.message, /holderPid/)
  })

  t.test('6.2 endpoint discovery', async (t) => {
    const document = await fixture.server.context.resolver.resolveDocument(issuerDid)
    const service = document.service?.find((entry) => entry.type === 'IssuerService')
    t.equal(service?.serviceEndpoint, 'http://localhost:8080/p/authority/is')
    const served = await dcpFetch(baseUrl, '/authority/did.json')
    t.equal(served.status, 200)
    t.ok(served.body.service.some((entry: { type: string }) => entry.type === 'IssuerService'))
  })

  t.test('6.7 issuer metadata without auth', async (t) => {
    const response = await dcpFetch(baseUrl, `${isPath}/metadata`)
    t.equal(response.status, 200)
    t.equal(response.body.type, 'IssuerMetadata')
    t.equal(response.body.issuer, issuerDid)
    const supported = response.body.credentialsSupported as Array<Record<string, unknown>>
    t.equal(supported.filter((entry) => entry.profile === 'vc11-sl2021/jwt').length, 2)
    for (const entry of supported) {
      t.equal(entry.type, 'CredentialObject')
      t.type(entry.id, 'string')
      t.type(entry.credentialType, 'string')
    }
    const withToken = await dcpFetch(baseUrl, `${isPath}/metadata`, { token: await fixture.holderToken() })
    t.equal(withToken.status, 200, 'a bearer token is ignored')
  })

  t.test('6.8.1 request status within 10 s', async (t) => {
    const id = await newRequestId()
    const response = await status(id, { token: await fixture.holderToken() })
    t.equal(response.status, 200)
    t.equal(response.body.type, 'CredentialStatus')
    t.equal(response.body.issuerPid, id)
    t.equal(response.body.holderPid, holderPid)
    t.ok(['RECEIVED', 'ISSUED', 'REJECTED'].includes(response.body.status))
  })

  t.test('6.8.2 status without auth header', async (t) => {
    const id = await newRequestId()
    t.equal((await status(id, { token: null })).status, 401)
  })

  t.test('6.8.3 status without Bearer prefix', async (t) => {
    const id = await newRequestId()
    t.equal((await status(id, { authorization: await fixture.holderToken() })).status, 401)
  })

  badTokens.forEach(([name, makeToken], position) => {
    t.test(`${statusSections[position]} status with ${name} token`, async (t) => {
      const id = await newRequestId()
      const response = await status(id, { token: await makeToken() })
      t.equal(response.status, 401)
      t.match(response.body.error, /^ERR_(TOKEN|DID)_/)
    })
  })

  t.test('6.8.11 status token used twice', async (t) => {
    const id = await newRequestId()
    const token = await fixture.holderToken()
    t.equal((await status(id, { token })).status, 200)
    t.equal((await status(id, { token })).status, 401)
  })

  t.test('6.8.12 status of unknown request', async (t) => {
    const response = await status('not-exist', { token: await fixture.holderToken() })
    t.equal(response.status, 404)
    t.equal(response.body.error, 'ERR_ISSUER_REQUEST_NOT_FOUND')
  })
})
