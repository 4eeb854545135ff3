import { randomUUID } from 'node:crypto'
import t from 'tap'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { parseJwtCredential } from '../../src/credentials/parsed-credential.js'
import { insertCredential } from '../../src/storage/credential-repository.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { adminRequest, startTestServer } from '../helpers/server.js'
import { createTestParty } from '../helpers/test-party.js'

const consumerDid = 'did:web:localhost%3A8080:consumer'
const providerDid = 'did:web:localhost%3A8080:provider'
const dcpContext = 'https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'

t.test('DIM facade is off by default', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const { internalApp } = await startTestServer(t, { db })
  const token = await internalApp.inject({
    method: 'POST',
    url: '/dim/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials&client_id=a&client_secret=b',
  })
  t.equal(token.statusCode, 404)
  t.equal(token.json().error, 'ERR_ROUTE_NOT_FOUND')
  const sts = await internalApp.inject({ method: 'POST', url: '/dim/sts', payload: { signToken: {} } })
  t.equal(sts.statusCode, 404)
})

for (const kind of databaseKinds) {
  t.test(`${kind}: DIM facade`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const server = await startTestServer(t, { db, env: { DIM_FACADE_ENABLED: 'true' } })
    const { internalApp, publicApp } = server
    const secrets: Record<string, string> = {}
    for (const [id, did] of [['consumer', consumerDid], ['provider', providerDid]]) {
      const created = await adminRequest(internalApp, 'POST', '/v1/participants', { body: { id, did, displayName: id, roles: ['holder'] } })
      t.equal(created.statusCode, 201, created.body)
      secrets[did] = created.json().stsClient.clientSecret
    }
    const issuer = await createTestParty('did:web:issuer.example')
    const now = Math.floor(Date.now() / 1000)
    const membership = await issuer.sign({
      iss: issuer.did,
      sub: consumerDid,
      jti: randomUUID(),
      nbf: now - 60,
      exp: now + 3600,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        id: randomUUID(),
        type: ['VerifiableCredential', 'MembershipCredential'],
        issuer: issuer.did,
        credentialSubject: { id: consumerDid, holderIdentifier: 'BPNL000000000001' },
      },
    })
    await insertCredential(db, { participantId: 'consumer', credential: parseJwtCredential(membership) })

    async function bearerFor(did: string, secret = secrets[did]!) {
      return internalApp.inject({
        method: 'POST',
        url: '/dim/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: did, client_secret: secret }).toString(),
      })
    }

    async function dim(bearer: string | undefined, body: object) {
      return internalApp.inject({
        method: 'POST',
        url: '/dim/sts',
        headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
        payload: body,
      })
    }

    const consumerBearer = (await bearerFor(consumerDid)).json().access_token as string
    const providerBearer = (await bearerFor(providerDid)).json().access_token as string

    t.test('token endpoint issues a bearer token', async (t) => {
      const response = await bearerFor(consumerDid)
      t.equal(response.statusCode, 200, response.body)
      t.equal(response.json().token_type, 'Bearer')
      t.equal(response.json().expires_in, 300)
      t.equal(response.headers['cache-control'], 'no-store')
      t.equal(decodeProtectedHeader(response.json().access_token).typ, 'dim-sts+jwt')
    })

    t.test('wrong client secret is rejected', async (t) => {
      const response = await bearerFor(consumerDid, 'wrong-secret')
      t.equal(response.statusCode, 401)
      t.equal(response.json().error, 'invalid_client')
    })

    t.test('missing or forged bearer is rejected', async (t) => {
      const request = { signToken: { audience: consumerDid, issuer: providerDid, subject: providerDid, token: 'x' } }
      const missing = await dim(undefined, request)
      t.equal(missing.statusCode, 401)
      t.equal(missing.json().error, 'ERR_AUTH_MISSING')

      const forged = await dim(await issuer.sign({ iss: providerDid, aud: 'urn:dcp-identity:dim-sts', client_id: providerDid, iat: now, exp: now + 60 }, { typ: 'dim-sts+jwt', kid: `${providerDid}#key-1` }), request)
      t.equal(forged.statusCode, 401)
      t.equal(forged.json().error, 'ERR_DIM_TOKEN_INVALID')

      // An SI token of the same participant is signed with the same key but is not a bearer token.
      const si = (await dim(providerBearer, request)).json().jwt as string
      const reused = await dim(si, request)
      t.equal(reused.statusCode, 401)
      t.equal(reused.json().error, 'ERR_DIM_TOKEN_INVALID')
    })

    t.test('bearer of one client cannot sign as another DID', async (t) => {
      const response = await dim(providerBearer, {
        grantAccess: { consumerDid, providerDid, credentialTypes: ['MembershipCredential'], scope: 'read' },
      })
      t.equal(response.statusCode, 403)
      t.equal(response.json().error, 'ERR_DIM_DID_MISMATCH')
    })

    t.test('request needs exactly one operation', async (t) => {
      const neither = await dim(consumerBearer, {})
      t.equal(neither.statusCode, 400)
      t.equal(neither.json().error, 'ERR_DIM_REQUEST_INVALID')
      const empty = await dim(consumerBearer, { grantAccess: { consumerDid, providerDid, credentialTypes: [], scope: 'read' } })
      t.equal(empty.statusCode, 400)
      t.equal(empty.json().error, 'ERR_DIM_REQUEST_INVALID')
    })

    t.test('grantAccess and signToken pass a presentation query', async (t) => {
      const granted = await dim(consumerBearer, {
        grantAccess: { consumerDid, providerDid, credentialTypes: ['MembershipCredential', 'BpnCredential'], scope: 'read' },
      })
      t.equal(granted.statusCode, 200, granted.body)
      const siToken = granted.json().jwt as string
      const claims = decodeJwt(siToken)
      t.equal(claims.iss, consumerDid)
      t.equal(claims.sub, consumerDid)
      t.equal(claims.aud, providerDid)
      const accessToken = claims.token as string
      const accessClaims = decodeJwt(accessToken)
      t.equal(accessClaims.sub, providerDid, 'access token bound to the provider')
      t.equal(accessClaims.scope, 'org.eclipse.tractusx.vc.type:MembershipCredential:read org.eclipse.tractusx.vc.type:BpnCredential:read')

      // The provider receives the SI token on its DSP request and checks it as the service does.
      const verified = await server.context.siTokenVerifier.verify(siToken, { participantId: 'provider', did: providerDid })
      t.equal(verified.issuer, consumerDid)

      const signed = await dim(providerBearer, { signToken: { audience: consumerDid, issuer: providerDid, subject: providerDid, token: accessToken } })
      t.equal(signed.statusCode, 200, signed.body)
      const queryToken = signed.json().jwt as string
      t.equal(decodeJwt(queryToken).token, accessToken, 'token embedded verbatim')

      const query = await publicApp.inject({
        method: 'POST',
        url: '/p/consumer/cs/presentations/query',
        headers: { authorization: `Bearer ${queryToken}` },
        payload: { '@context': [dcpContext], type: 'PresentationQueryMessage', scope: ['org.eclipse.tractusx.vc.type:MembershipCredential:read'] },
      })
      t.equal(query.statusCode, 200, query.body)
      const presentation = decodeJwt(query.json().presentation[0])
      t.same((presentation.vp as { verifiableCredential: string[] }).verifiableCredential, [membership])
    })

    t.test('signToken embeds an opaque token', async (t) => {
      const response = await dim(providerBearer, { signToken: { audience: consumerDid, issuer: providerDid, subject: providerDid, token: 'opaque.edr.token' } })
      t.equal(response.statusCode, 200, response.body)
      t.equal(decodeJwt(response.json().jwt).token, 'opaque.edr.token')
    })
  })
}
