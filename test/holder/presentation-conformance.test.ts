import t, { type Test } from 'tap'
import { decodeJwt } from 'jose'
import { parseJwtCredential } from '../../src/credentials/parsed-credential.js'
import { dcpContextV1 } from '../../src/dcp/context.js'
import { insertCredential } from '../../src/storage/credential-repository.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { startLoopbackParties, vc11Claims } from '../helpers/dcp-parties.js'
import { adminRequest, startTestServer } from '../helpers/server.js'
import { selfIssuedClaims } from '../helpers/test-party.js'

// The cases of the DCP TCK presentation suite for a Credential Service (PresentationFlowSection4Test
// and PresentationFlowSection5Test), titled by the section of DCP 1.0 they check. As in the TCK,
// the verifier, a third party and the issuer are DIDs on a loopback did:web host of the test, the
// verifier obtains its access token from the holder's STS, and every query goes over HTTP.

const holderDid = 'did:web:localhost%3A8080:holder'
const membershipScope = 'org.eclipse.dspace.dcp.vc.type:MembershipCredential:read'
const sensitiveScope = 'org.eclipse.dspace.dcp.vc.type:SensitiveDataCredential:read'

async function setUp(t: Test, kind: (typeof databaseKinds)[number]) {
  const parties = await startLoopbackParties(t)
  const verifier = await parties.add('verifier')
  const thirdParty = await parties.add('thirdparty')
  const issuer = await parties.add('issuer')
  const db = await createTestDatabase(t, kind)
  const server = await startTestServer(t, { db, env: { DID_WEB_HTTP_HOSTS: parties.host } })
  const created = await adminRequest(server.internalApp, 'POST', '/v1/participants', {
    body: { id: 'holder', did: holderDid, displayName: 'Holder', roles: ['holder'] },
  })
  if (created.statusCode !== 201) throw new Error(`creating the holder failed: ${created.body}`)
  const clientSecret = created.json().stsClient.clientSecret as string
  for (const type of ['MembershipCredential', 'SensitiveDataCredential']) {
    const raw = await issuer.sign(vc11Claims(issuer.did, holderDid, type))
    await insertCredential(db, { participantId: 'holder', credential: parseJwtCredential(raw) })
  }

  /** Requests an access token for the verifier from the holder's STS, as the TCK does. */
  async function accessToken(scopes: string[]): Promise<string> {
    const response = await fetch(`${server.internalUrl}/sts/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: holderDid,
        client_secret: clientSecret,
        audience: verifier.did,
        bearer_access_scope: scopes.join(' '),
      }),
    })
    return decodeJwt(((await response.json()) as { access_token: string }).access_token).token as string
  }

  async function query(authorization: string | undefined, body: object) {
    const response = await fetch(`${server.publicUrl}/p/holder/cs/presentations/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as { presentation?: string[]; error?: string } }
  }

  return { parties, verifier, thirdParty, server, accessToken, query }
}

function scopeQuery(scope: string[]): object {
  return { '@context': [dcpContextV1], type: 'PresentationQueryMessage', scope }
}

/** Collects every credential type across the returned presentations. */
function typesIn(presentations: string[] | undefined): string[] {
  const types = new Set<string>()
  for (const presentation of presentations ?? []) {
    const credentials = (decodeJwt(presentation).vp as { verifiableCredential: string[] }).verifiableCredential
    for (const credential of credentials) {
      for (const type of (decodeJwt(credential).vc as { type: string[] }).type) types.add(type)
    }
  }
  return [...types].sort()
}

for (const kind of databaseKinds) {
  t.test(`DCP presentation flow, Credential Service (${kind})`, async (t) => {
    const { verifier, thirdParty, server, accessToken, query } = await setUp(t, kind)
    const membership = scopeQuery([membershipScope])
    const verifierToken = async (scopes: string[], extra = {}) =>
      `Bearer ${await verifier.sign(selfIssuedClaims(verifier.did, holderDid, { token: await accessToken(scopes), ...extra }))}`

    t.test('4.3.3 ID token signed by a third party is rejected', async (t) => {
      const token = await thirdParty.sign(selfIssuedClaims(thirdParty.did, holderDid, { token: await accessToken([membershipScope]) }))
      const response = await query(`Bearer ${token}`, membership)
      t.equal(response.status, 401)
      t.equal(response.body.error, 'ERR_ACCESS_TOKEN_INVALID')
    })

    t.test('4.3.3 ID token whose sub differs from iss is rejected', async (t) => {
      const claims = selfIssuedClaims(verifier.did, holderDid, { sub: thirdParty.did, token: await accessToken([membershipScope]) })
      const response = await query(`Bearer ${await verifier.sign(claims)}`, membership)
      t.equal(response.status, 401)
      t.equal(response.body.error, 'ERR_TOKEN_SUBJECT_MISMATCH')
    })

    t.test('4.3.3 ID token for another audience is rejected', async (t) => {
      const claims = selfIssuedClaims(verifier.did, verifier.did, { token: await accessToken([membershipScope]) })
      const response = await query(`Bearer ${await verifier.sign(claims)}`, membership)
      t.equal(response.status, 401)
      t.equal(response.body.error, 'ERR_TOKEN_AUDIENCE_MISMATCH')
    })

    t.test("4.3.3 ID token under a third party's kid with another key is rejected", async (t) => {
      const claims = selfIssuedClaims(thirdParty.did, verifier.did, { token: await accessToken([membershipScope]) })
      const response = await query(`Bearer ${await verifier.sign(claims, { kid: thirdParty.kid })}`, membership)
      t.equal(response.status, 401)
      t.equal(response.body.error, 'ERR_TOKEN_AUDIENCE_MISMATCH')
    })

    t.test('4.3.3 ID token with nbf eleven days ahead is rejected', async (t) => {
      const nbf = Math.floor(Date.now() / 1000) + 11 * 86_400
      const response = await query(await verifierToken([membershipScope], { nbf, exp: nbf + 300 }), membership)
      t.equal(response.status, 401)
      t.equal(response.body.error, 'ERR_TOKEN_NOT_YET_VALID')
    })

    t.test('4.3.3 expired ID token is rejected', async (t) => {
      const now = Math.floor(Date.now() / 1000)
      const response = await query(await verifierToken([membershipScope], { iat: now - 600, exp: now - 300 }), membership)
      t.equal(response.status, 401)
      t.equal(response.body.error, 'ERR_TOKEN_EXPIRED')
    })

    t.test('4.3.3 ID token jti used twice is rejected', async (t) => {
      const jti = crypto.randomUUID()
      const first = await query(await verifierToken([membershipScope], { jti }), membership)
      t.equal(first.status, 200)
      t.same(typesIn(first.body.presentation), ['MembershipCredential', 'VerifiableCredential'])
      const second = await query(await verifierToken([membershipScope], { jti }), membership)
      t.equal(second.status, 401)
      t.equal(second.body.error, 'ERR_TOKEN_REPLAYED')
    })

    t.test('5.2 holder DID document lists the Credential Service', async (t) => {
      const response = await fetch(`${server.publicUrl}/holder/did.json`)
      t.equal(response.status, 200)
      const document = (await response.json()) as { service: { type: string; serviceEndpoint: string }[] }
      const service = document.service.find((entry) => entry.type === 'CredentialService')
      t.equal(service?.serviceEndpoint, 'http://localhost:8080/p/holder/cs')
    })

    t.test('5.3.1 authorization without the Bearer prefix is rejected', async (t) => {
      const token = (await verifierToken([membershipScope])).slice('Bearer '.length)
      const response = await query(token, membership)
      t.equal(response.status, 401)
      t.equal(response.body.error, 'ERR_AUTH_MISSING')
    })

    t.test('5.4 ID token carrying a made-up access token is rejected', async (t) => {
      const claims = selfIssuedClaims(verifier.did, holderDid, { token: 'faketoken' })
      const response = await query(`Bearer ${await verifier.sign(claims)}`, membership)
      t.equal(response.status, 401)
      t.equal(response.body.error, 'ERR_ACCESS_TOKEN_INVALID')
    })

    t.test('5.4.1 scope with a presentation definition is 400', async (t) => {
      const body = { ...membership, presentationDefinition: { id: 'pd', input_descriptors: [{ id: 'membership' }] } }
      const response = await query(await verifierToken([membershipScope]), body)
      t.equal(response.status, 400)
      t.equal(response.body.error, 'ERR_DCP_QUERY_AMBIGUOUS')
    })

    t.test('5.4.1 empty or null presentation definition is rejected', async (t) => {
      const empty = await query(await verifierToken([membershipScope]), { '@context': [dcpContextV1], type: 'PresentationQueryMessage', presentationDefinition: {} })
      t.equal(empty.status, 400)
      const nulled = await query(await verifierToken([membershipScope]), { '@context': [dcpContextV1], type: 'PresentationQueryMessage', presentationDefinition: null })
      t.equal(nulled.status, 400)
    })

    t.test('5.4.2 empty or missing scope is rejected', async (t) => {
      const empty = await query(await verifierToken([membershipScope]), scopeQuery([]))
      t.equal(empty.status, 400)
      const missing = await query(await verifierToken([membershipScope]), { '@context': [dcpContextV1], type: 'PresentationQueryMessage' })
      t.equal(missing.status, 400)
    })

    t.test('5.4.1.2 scope by type returns that type only', async (t) => {
      const response = await query(await verifierToken([membershipScope]), membership)
      t.equal(response.status, 200)
      t.same(typesIn(response.body.presentation), ['MembershipCredential', 'VerifiableCredential'])
    })

    t.test('5.4.1.2 fewer scopes than granted return fewer types', async (t) => {
      const response = await query(await verifierToken([membershipScope, sensitiveScope]), scopeQuery([sensitiveScope]))
      t.equal(response.status, 200)
      t.same(typesIn(response.body.presentation), ['SensitiveDataCredential', 'VerifiableCredential'])
    })

    t.test('5.4.1.2 scopes beyond the grant are left out, not escalated', async (t) => {
      const response = await query(await verifierToken([membershipScope]), scopeQuery([membershipScope, sensitiveScope]))
      t.equal(response.status, 200)
      t.same(typesIn(response.body.presentation), ['MembershipCredential', 'VerifiableCredential'])
    })
  })
}
