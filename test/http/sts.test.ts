import t from 'tap'
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose'
import { verifyAccessToken } from '../../src/tokens/access-token.js'
import { AccessTokenKeys } from '../../src/tokens/access-token-keys.js'
import { SecureTokenService } from '../../src/sts/sts-service.js'
import type { Queryable, Row } from '../../src/storage/database.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { adminRequest, startTestServer } from '../helpers/server.js'

const did = 'did:web:localhost%3A8080:companyx'
const verifierDid = 'did:web:localhost%3A8080:companyy'

for (const kind of databaseKinds) {
  t.test(`${kind}: STS token endpoint`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const server = await startTestServer(t, { db })
    const app = server.internalApp
    const created = await adminRequest(app, 'POST', '/v1/participants', {
      body: { id: 'companyx', did, displayName: 'X', roles: ['holder'] },
    })
    const { clientId, clientSecret } = created.json().stsClient

    const tokenRequest = (fields: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/sts/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      })
    const base = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience: verifierDid }

    async function publishedKey(kid: string) {
      const document = (await server.publicApp.inject({ method: 'GET', url: '/companyx/did.json' })).json()
      t.ok(document.capabilityInvocation.includes(kid), 'signing key is a capabilityInvocation key')
      const method = document.verificationMethod.find((entry: { id: string }) => entry.id === kid)
      return importJWK(method.publicKeyJwk as JWK, 'ES256')
    }

    t.test('mints an SI token', async (t) => {
      const response = await tokenRequest(base)
      t.equal(response.statusCode, 200)
      t.equal(response.headers['cache-control'], 'no-store')
      const body = response.json()
      t.same(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type'])
      t.equal(body.token_type, 'Bearer')
      t.equal(body.expires_in, 300)
      const header = decodeProtectedHeader(body.access_token)
      t.equal(header.alg, 'ES256')
      t.match(header.kid, new RegExp(`^${did}#key-`))
      const claims = decodeJwt(body.access_token)
      t.equal(claims.iss, did)
      t.equal(claims.sub, did)
      t.equal(claims.aud, verifierDid)
      t.type(claims.jti, 'string')
      t.equal(claims.exp! - claims.iat!, 300)
      t.notOk('token' in claims)
      await compactVerify(body.access_token, await publishedKey(header.kid!))
      const second = decodeJwt((await tokenRequest(base)).json().access_token)
      t.not(second.jti, claims.jti, 'every token has a fresh jti')
    })

    t.test('bearer_access_scope adds an access token bound to the audience', async (t) => {
      const scopes = 'org.eclipse.tractusx.vc.type:MembershipCredential:read org.eclipse.tractusx.vc.type:BpnCredential:read'
      const response = await tokenRequest({ ...base, bearer_access_scope: scopes })
      t.equal(response.statusCode, 200)
      const accessToken = decodeJwt(response.json().access_token).token as string
      t.type(accessToken, 'string')
      const claims = decodeJwt(accessToken)
      t.equal(claims.iss, did)
      t.equal(claims.aud, did)
      t.equal(claims.sub, verifierDid)
      t.equal(claims.scope, scopes)
      const check = { participantId: 'companyx', holderDid: did, nowSeconds: Math.floor(Date.now() / 1000), leewaySeconds: 5 }
      const header = decodeProtectedHeader(accessToken)
      t.equal(header.alg, 'HS256', 'MACed, so minting it signs nothing and needs no KMS call')
      t.type(header.kid, 'string')
      const keys = new AccessTokenKeys({ db, ttlSeconds: 0 })
      const verified = await verifyAccessToken(keys, accessToken, { ...check, presenterDid: verifierDid })
      t.same(verified.scopes.map((scope) => scope.discriminator), ['MembershipCredential', 'BpnCredential'])
      const stolen = await verifyAccessToken(keys, accessToken, { ...check, presenterDid: 'did:web:thief' }).catch(
        (error: Error & { code?: string }) => error,
      )
      t.equal((stolen as { code?: string }).code, 'ERR_ACCESS_TOKEN_INVALID')
      t.equal((stolen as Error).message, 'the access token is bound to another DID than "did:web:thief"')
    })

    t.test('token is embedded verbatim, never parsed', async (t) => {
      const foreign = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
      const response = await tokenRequest({ ...base, token: foreign })
      t.equal(response.statusCode, 200)
      t.equal(decodeJwt(response.json().access_token).token, foreign)
      const opaque = await tokenRequest({ ...base, token: 'not a JWT at all' })
      t.equal(decodeJwt(opaque.json().access_token).token, 'not a JWT at all')
    })

    const refusals: Array<[string, Record<string, string | undefined>, number, { error: string; error_description: string }]> = [
      ['wrong secret', { client_secret: 'x'.repeat(43) }, 401, { error: 'invalid_client', error_description: `client authentication failed for client_id "${did}"` }],
      ['unknown client', { client_id: 'did:web:nobody' }, 401, { error: 'invalid_client', error_description: 'client authentication failed for client_id "did:web:nobody"' }],
      [
        'DID decoded from a form without URL-encoding',
        { client_id: 'did:web:localhost:8080:companyx' },
        401,
        {
          error: 'invalid_client',
          error_description:
            'client authentication failed for client_id "did:web:localhost:8080:companyx"; a did:web client id with a port has "%3A" before the port, so URL-encode the form field (curl --data-urlencode)',
        },
      ],
      [
        'other grant type',
        { grant_type: 'password' },
        400,
        { error: 'unsupported_grant_type', error_description: '"grant_type" must be "client_credentials"' },
      ],
      ['missing grant type', { grant_type: undefined }, 400, { error: 'unsupported_grant_type', error_description: 'missing "grant_type"' }],
      ['missing audience', { audience: undefined }, 400, { error: 'invalid_request', error_description: 'missing "audience"' }],
      ['missing secret', { client_secret: undefined }, 400, { error: 'invalid_request', error_description: 'missing "client_secret"' }],
      [
        'scope and token together',
        { bearer_access_scope: 'a:b', token: 'x' },
        400,
        { error: 'invalid_request', error_description: 'send "bearer_access_scope" or "token", not both' },
      ],
    ]
    for (const [name, change, status, body] of refusals) {
      t.test(`refuses ${name}`, async (t) => {
        const fields = Object.fromEntries(
          Object.entries({ ...base, ...change }).filter((entry): entry is [string, string] => entry[1] !== undefined),
        )
        const response = await tokenRequest(fields)
        t.equal(response.statusCode, status)
        t.same(response.json(), body)
      })
    }

    t.test('refuses a JSON body with 415', async (t) => {
      const response = await app.inject({ method: 'POST', url: '/sts/token', payload: base })
      t.equal(response.statusCode, 415)
      t.equal(response.json().error, 'invalid_request', 'an OAuth error body')
      t.match(response.json().error_description, /content-type/i)
    })

    t.test('refuses a form over the body limit with an OAuth body', async (t) => {
      const response = await tokenRequest({ ...base, token: 'x'.repeat(2_000_000) })
      t.equal(response.statusCode, 413)
      t.same(Object.keys(response.json()).sort(), ['error', 'error_description'])
      t.equal(response.json().error, 'invalid_request')
    })

    t.test('rotated secret takes effect at once', async (t) => {
      const rotated = (await adminRequest(app, 'POST', '/v1/participants/companyx/sts-client/rotate-secret')).json()
      t.equal((await tokenRequest(base)).statusCode, 401)
      t.equal((await tokenRequest({ ...base, client_secret: rotated.clientSecret })).statusCode, 200)
    })

    t.test('wrong secret after a match', async (t) => {
      const secret = (await adminRequest(app, 'POST', '/v1/participants/companyx/sts-client/rotate-secret')).json().clientSecret as string
      t.equal((await tokenRequest({ ...base, client_secret: secret })).statusCode, 200, 'the right secret matches first')
      const lastChanged = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`
      t.equal((await tokenRequest({ ...base, client_secret: lastChanged })).statusCode, 401, 'one character off')
      t.equal((await tokenRequest({ ...base, client_secret: `${secret}A` })).statusCode, 401, 'one character longer')
      t.equal((await tokenRequest({ ...base, client_secret: secret.slice(1) })).statusCode, 401, 'one character shorter')
      t.equal((await tokenRequest({ ...base, client_secret: secret })).statusCode, 200, 'the right secret still matches')
    })

    t.test('lookup overlapping a rotation', async (t) => {
      // A database wrapper that holds back the result of the first client lookup until released.
      let release: () => void = () => {}
      let markHeld: () => void = () => {}
      const lookupHeld = new Promise<void>((resolve) => (markHeld = resolve))
      let holdNext = true
      const holding: Queryable = {
        query: async <R extends Row = Row>(sql: string, params?: readonly unknown[]) => {
          const result = await db.query<R>(sql, params)
          if (holdNext && sql.includes('FROM sts_clients c JOIN participants')) {
            holdNext = false
            await new Promise<void>((resolve) => {
              release = resolve
              markHeld()
            })
          }
          return result
        },
        exec: (sql) => db.exec(sql),
      }
      const { keyManager, accessTokenKeys, config } = server.context
      const sts = new SecureTokenService({ db: holding, keyManager, accessTokenKeys, tokens: config.tokens })
      const before = (await adminRequest(app, 'POST', '/v1/participants/companyx/sts-client/rotate-secret')).json().clientSecret as string

      const overlapping = sts.authenticate(clientId, before)
      await lookupHeld
      const after = (await adminRequest(app, 'POST', '/v1/participants/companyx/sts-client/rotate-secret')).json().clientSecret as string
      sts.forgetClients()
      release()
      t.equal((await overlapping).participantId, 'companyx', 'the lookup that started first still matches the secret it read')

      await t.rejects(sts.authenticate(clientId, before), { code: 'ERR_STS_CLIENT_INVALID' }, 'the row read before the rotation was not cached')
      t.equal((await sts.authenticate(clientId, after)).participantId, 'companyx')
    })

    t.test('deactivated participant gets no token', async (t) => {
      const secret = (await adminRequest(app, 'POST', '/v1/participants/companyx/sts-client/rotate-secret')).json().clientSecret
      await adminRequest(app, 'POST', '/v1/participants/companyx/deactivate')
      const response = await tokenRequest({ ...base, client_secret: secret })
      t.equal(response.statusCode, 401)
      t.equal(response.json().error, 'invalid_client')
      const cached = await tokenRequest({ ...base, client_secret: secret })
      t.equal(cached.statusCode, 401, 'a cached inactive participant is rejected too')
      t.equal(cached.json().error, 'invalid_client')
    })

    t.test('recreated DID signs with new key', async (t) => {
      const reusedDid = 'did:web:localhost%3A8080:companyr'
      const request = (secret: string) => tokenRequest({ ...base, client_id: reusedDid, client_secret: secret })
      t.equal((await request('x'.repeat(43))).statusCode, 401, 'unknown before it exists')

      const first = await adminRequest(app, 'POST', '/v1/participants', { body: { id: 'companyr', did: reusedDid, roles: ['holder'] } })
      t.equal((await request(first.json().stsClient.clientSecret)).statusCode, 200, 'known at once after it was created')
      t.equal((await adminRequest(app, 'DELETE', '/v1/participants/companyr')).statusCode, 204)

      const second = await adminRequest(app, 'POST', '/v1/participants', { body: { id: 'companyr2', did: reusedDid, roles: ['holder'] } })
      const response = await request(second.json().stsClient.clientSecret)
      t.equal(response.statusCode, 200)
      const token = response.json().access_token as string
      const kid = decodeProtectedHeader(token).kid!
      const document = (await server.publicApp.inject({ method: 'GET', url: '/companyr/did.json' })).json()
      const method = document.verificationMethod.find((entry: { id: string }) => entry.id === kid)
      t.ok(method, 'the kid is in the DID document of the new participant')
      await compactVerify(token, await importJWK(method.publicKeyJwk as JWK, 'ES256'))
    })
  })
}
