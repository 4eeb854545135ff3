import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import t from 'tap'
import { verifyPresentation } from 'did-jwt-vc'
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose'
import type { FastifyInstance } from 'fastify'
import { parseJwtCredential } from '../../src/credentials/parsed-credential.js'
import { createLogger } from '../../src/observability/logger.js'
import { insertCredential, setCredentialState } from '../../src/storage/credential-repository.js'
import { replaceVerifierRules } from '../../src/storage/verifier-access-repository.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { adminRequest, startTestServer } from '../helpers/server.js'
import { createTestParty } from '../helpers/test-party.js'

const holderDid = 'did:web:localhost%3A8080:companyx'
const verifierDid = 'did:web:localhost%3A8080:companyy'
const v1 = 'https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'
const v08 = 'https://w3id.org/tractusx-trust/v0.8'
const tractusxScopes = ['MembershipCredential', 'BpnCredential', 'DataExchangeGovernanceCredential'].map(
  (type) => `org.eclipse.tractusx.vc.type:${type}:read`,
)

for (const kind of databaseKinds) {
  t.test(`${kind}: presentation flow`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const logLines: Record<string, unknown>[] = []
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(JSON.parse(String(chunk)))
        done()
      },
    })
    const server = await startTestServer(t, { db, logger: createLogger('info', logStream) })
    const lastQueryLog = () => logLines.findLast((line) => line.msg === 'presentation query answered')
    const { internalApp, publicApp } = server
    const secrets: Record<string, string> = {}
    for (const [id, did] of [['companyx', holderDid], ['companyy', verifierDid]]) {
      const created = await adminRequest(internalApp, 'POST', '/v1/participants', {
        body: { id, did, displayName: id, roles: ['holder'] },
      })
      secrets[did] = created.json().stsClient.clientSecret
    }

    const issuer = await createTestParty('did:web:issuer.example')
    const now = Math.floor(Date.now() / 1000)
    async function hold(type: string, issuedSecondsAgo: number, validSeconds = 3600) {
      const raw = await issuer.sign({
        iss: issuer.did,
        sub: holderDid,
        jti: randomUUID(),
        nbf: now - issuedSecondsAgo,
        exp: now - issuedSecondsAgo + validSeconds,
        vc: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          id: randomUUID(),
          type: ['VerifiableCredential', type],
          issuer: issuer.did,
          credentialSubject: { id: holderDid, holderIdentifier: 'BPNL000000000001' },
        },
      })
      return insertCredential(db, { participantId: 'companyx', credential: parseJwtCredential(raw) })
    }
    const oldMembership = await hold('MembershipCredential', 900)
    const membership = await hold('MembershipCredential', 60)
    const bpn = await hold('BpnCredential', 60)
    const governance = await hold('DataExchangeGovernanceCredential', 60)
    await hold('SensitiveDataCredential', 7200, 600)

    const sts = (did: string, fields: Record<string, string>) =>
      internalApp.inject({
        method: 'POST',
        url: '/sts/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: did,
          client_secret: secrets[did]!,
          ...fields,
        }).toString(),
      })

    /** Plays both connectors: the holder's asks for an access token, the verifier's wraps it. */
    async function verifierToken(grantedScopes: string[], options: { accessToken?: string } = {}) {
      const holderSi = (await sts(holderDid, { audience: verifierDid, bearer_access_scope: grantedScopes.join(' ') })).json()
      const accessToken = options.accessToken ?? (decodeJwt(holderSi.access_token).token as string)
      return (await sts(verifierDid, { audience: holderDid, token: accessToken })).json().access_token as string
    }

    function query(app: FastifyInstance, token: string, body: object, authorization = `Bearer ${token}`) {
      return app.inject({
        method: 'POST',
        url: '/p/companyx/cs/presentations/query',
        headers: { authorization },
        payload: body,
      })
    }

    async function credentialsIn(presentation: string): Promise<string[]> {
      const header = decodeProtectedHeader(presentation)
      const document = (await publicApp.inject({ method: 'GET', url: '/companyx/did.json' })).json()
      t.ok(document.authentication.includes(header.kid), 'presentation key is an authentication key')
      const method = document.verificationMethod.find((entry: { id: string }) => entry.id === header.kid)
      await compactVerify(presentation, await importJWK(method.publicKeyJwk as JWK, 'ES256'))
      const claims = decodeJwt(presentation)
      t.equal(claims.iss, holderDid)
      t.equal(claims.aud, verifierDid, 'addressed to the verifier only')
      t.type(claims.jti, 'string')
      t.ok(claims.exp! > claims.iat!)
      return (claims.vp as { verifiableCredential: string[] }).verifiableCredential
    }

    t.test('Tractus-X query with three scopes, DCP 1.0', async (t) => {
      const token = await verifierToken(tractusxScopes)
      const response = await query(publicApp, token, {
        '@context': ['https://identity.foundation/presentation-exchange/submission/v1', v1],
        '@type': 'PresentationQueryMessage',
        scope: tractusxScopes,
      })
      t.equal(response.statusCode, 200, response.body)
      const body = response.json()
      t.same(body['@context'], [v1], 'the context of the query is echoed')
      t.equal(lastQueryLog()?.dcpVersion, '1.0', 'the log line names the DCP version')
      t.equal(body.type, 'PresentationResponseMessage')
      t.equal(body.presentation.length, 1, 'one presentation for one profile')
      const carried = await credentialsIn(body.presentation[0])
      t.same(new Set(carried), new Set([membership.raw, bpn.raw, governance.raw]), 'stored JWTs unchanged, newest membership')
      t.notOk(carried.includes(oldMembership.raw))
    })

    t.test('did-jwt-vc verifies the presentation', async (t) => {
      const token = await verifierToken(tractusxScopes)
      const response = await query(publicApp, token, { '@context': [v1], type: 'PresentationQueryMessage', scope: tractusxScopes })
      // did-jwt resolves the holder through the service's resolver, so it checks the published key.
      const resolver = server.context.resolver as unknown as Parameters<typeof verifyPresentation>[1]
      const verified = await verifyPresentation(response.json().presentation[0], resolver, { audience: verifierDid })
      t.equal(verified.issuer, holderDid)
      t.equal(verified.verifiablePresentation.verifiableCredential?.length, 3)
      const wrongAudience = await verifyPresentation(response.json().presentation[0], resolver, { audience: 'did:web:other' }).then(
        () => 'accepted',
        () => 'rejected',
      )
      t.equal(wrongAudience, 'rejected', 'a presentation for one verifier fails for another')
    })

    t.test('DCP 0.8 query gets a DCP 0.8 answer', async (t) => {
      const token = await verifierToken([tractusxScopes[0]!])
      const response = await query(publicApp, token, { '@context': [v08], '@type': 'PresentationQueryMessage', scope: [tractusxScopes[0]] })
      t.equal(response.statusCode, 200, response.body)
      t.same(response.json()['@context'], [v08])
      t.equal(lastQueryLog()?.dcpVersion, '0.8', 'the log line names the DCP version')
      t.same(await credentialsIn(response.json().presentation[0]), [membership.raw])
    })

    t.test('scopes beyond the grant are dropped, not escalated', async (t) => {
      const token = await verifierToken(['org.eclipse.dspace.dcp.vc.type:MembershipCredential'])
      const response = await query(publicApp, token, {
        '@context': [v1],
        type: 'PresentationQueryMessage',
        scope: ['org.eclipse.dspace.dcp.vc.type:MembershipCredential:read', 'org.eclipse.dspace.dcp.vc.type:BpnCredential:read'],
      })
      t.equal(response.statusCode, 200)
      t.same(await credentialsIn(response.json().presentation[0]), [membership.raw])
    })

    t.test('fewer scopes than granted', async (t) => {
      const token = await verifierToken(tractusxScopes)
      const response = await query(publicApp, token, { '@context': [v1], type: 'PresentationQueryMessage', scope: [tractusxScopes[1]] })
      t.same(await credentialsIn(response.json().presentation[0]), [bpn.raw])
    })

    t.test('expired and revoked credentials are left out', async (t) => {
      const expiredScope = 'org.eclipse.dspace.dcp.vc.type:SensitiveDataCredential'
      const token = await verifierToken([expiredScope])
      const response = await query(publicApp, token, { '@context': [v1], type: 'PresentationQueryMessage', scope: [expiredScope] })
      t.equal(response.statusCode, 200)
      t.same(response.json().presentation, [])

      await setCredentialState(db, membership.id, 'revoked')
      const second = await verifierToken([tractusxScopes[0]!])
      const afterRevocation = await query(publicApp, second, { '@context': [v1], type: 'PresentationQueryMessage', scope: [tractusxScopes[0]] })
      t.same(await credentialsIn(afterRevocation.json().presentation[0]), [oldMembership.raw], 'the older valid one is used')
      await setCredentialState(db, membership.id, 'issued')
    })

    t.test('verifier access policy hides denied types', async (t) => {
      await replaceVerifierRules(db, { participantId: 'companyx', verifierDid, allow: [], deny: ['BpnCredential'] })
      const token = await verifierToken(tractusxScopes)
      const response = await query(publicApp, token, { '@context': [v1], type: 'PresentationQueryMessage', scope: tractusxScopes })
      t.same(new Set(await credentialsIn(response.json().presentation[0])), new Set([membership.raw, governance.raw]))
      await replaceVerifierRules(db, { participantId: 'companyx', verifierDid, allow: [], deny: [] })
    })

    t.test('self-query for the BPN directory', async (t) => {
      const selfToken = (await sts(holderDid, { audience: holderDid, bearer_access_scope: tractusxScopes[0]! })).json().access_token
      const claims = decodeJwt(selfToken)
      t.equal(claims.aud, holderDid)
      t.equal(decodeJwt(claims.token as string).aud, holderDid)
      const response = await query(publicApp, selfToken, { '@context': [v1], type: 'PresentationQueryMessage', scope: [tractusxScopes[0]] })
      t.equal(response.statusCode, 200, response.body)
      t.equal(decodeJwt(response.json().presentation[0]).aud, holderDid)
    })

    const membershipQuery = { '@context': [v1], type: 'PresentationQueryMessage', scope: [tractusxScopes[0]] }
    t.test('refusals', async (t) => {
      const noPrefix = await query(publicApp, '', membershipQuery, await verifierToken([tractusxScopes[0]!]))
      t.equal(noPrefix.statusCode, 401)
      t.equal(noPrefix.json().error, 'ERR_AUTH_MISSING')

      const fake = await query(publicApp, await verifierToken([], { accessToken: 'faketoken' }), membershipQuery)
      t.equal(fake.statusCode, 401)
      t.same(fake.json(), { error: 'ERR_ACCESS_TOKEN_INVALID', message: 'the access token is not a token this participant minted' })

      const token = await verifierToken([tractusxScopes[0]!])
      t.equal((await query(publicApp, token, membershipQuery)).statusCode, 200)
      const replay = await query(publicApp, token, membershipQuery)
      t.equal(replay.statusCode, 401)
      t.equal(replay.json().error, 'ERR_TOKEN_REPLAYED')

      const unknown = await publicApp.inject({
        method: 'POST',
        url: '/p/nobody/cs/presentations/query',
        headers: { authorization: `Bearer ${await verifierToken([])}` },
        payload: membershipQuery,
      })
      t.equal(unknown.statusCode, 404)
    })

    t.test('access token presented by another DID is refused', async (t) => {
      const holderSi = (await sts(holderDid, { audience: verifierDid, bearer_access_scope: tractusxScopes[0]! })).json()
      const accessToken = decodeJwt(holderSi.access_token).token as string
      // The holder presents its own access token for the verifier: bound to another DID.
      const own = (await sts(holderDid, { audience: holderDid, token: accessToken })).json().access_token
      const response = await query(publicApp, own, membershipQuery)
      t.equal(response.statusCode, 401)
      t.same(response.json(), {
        error: 'ERR_ACCESS_TOKEN_INVALID',
        message: `the access token is bound to another DID than "${holderDid}"`,
      })
    })

    const bodies: Array<[string, object, number, string]> = [
      ['scope and definition together', { ...membershipQuery, presentationDefinition: { id: 'x', input_descriptors: [{ id: 'a' }] } }, 400, 'ERR_DCP_QUERY_AMBIGUOUS'],
      ['empty definition', { '@context': [v1], type: 'PresentationQueryMessage', presentationDefinition: {} }, 400, 'ERR_DCP_PRESENTATION_DEFINITION_INVALID'],
      ['null definition', { '@context': [v1], type: 'PresentationQueryMessage', presentationDefinition: null }, 400, 'ERR_REQUEST_INVALID'],
      ['valid definition', { '@context': [v1], type: 'PresentationQueryMessage', presentationDefinition: { id: 'x', input_descriptors: [{ id: 'a', constraints: {} }] } }, 501, 'ERR_DCP_PRESENTATION_DEFINITION_UNSUPPORTED'],
      ['empty scope', { '@context': [v1], type: 'PresentationQueryMessage', scope: [] }, 400, 'ERR_REQUEST_INVALID'],
      ['neither scope nor definition', { '@context': [v1], type: 'PresentationQueryMessage' }, 400, 'ERR_DCP_MESSAGE_INVALID'],
    ]
    for (const [name, body, status, code] of bodies) {
      t.test(`query with ${name} is ${status}`, async (t) => {
        const response = await query(publicApp, await verifierToken([tractusxScopes[0]!]), body)
        t.equal(response.statusCode, status)
        t.equal(response.json().error, code)
      })
    }

    t.test('metrics count served and refused queries', async (t) => {
      const metrics = await server.context.metrics.registry.metrics()
      t.match(metrics, /dcp_presentation_queries_total\{outcome="served"\} \d+/)
      t.match(metrics, /dcp_presentation_queries_total\{outcome="ERR_TOKEN_REPLAYED"\} 1/)
      t.match(metrics, /dcp_sts_tokens_total\{outcome="issued"\} \d+/)
    })
  })
}
