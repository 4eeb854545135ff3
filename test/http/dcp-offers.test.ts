import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { JWTPayload } from 'jose'
import { dcpContextV1 } from '../../src/dcp/context.js'
import { completePendingOffers } from '../../src/holder/offer-completion.js'
import { offerCompletionOptions } from '../../src/holder/offer-completion-task.js'
import { createLogger } from '../../src/observability/logger.js'
import { createParticipant } from '../helpers/admin.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { startLoopbackParties } from '../helpers/dcp-parties.js'
import { adminRequest, startTestServer } from '../helpers/server.js'
import { createTestParty, selfIssuedClaims } from '../helpers/test-party.js'

const holderDid = 'did:web:localhost%3A8080:holder'

/** The valid offer of DCP TCK 1.0.0-RC6: one full CredentialObject, with `profiles` as an array. */
function tckOffer(issuerDid: string | null, credentials?: object[]) {
  return {
    '@context': [dcpContextV1],
    type: 'CredentialOfferMessage',
    issuer: issuerDid,
    credentials: credentials ?? [
      {
        id: randomUUID(),
        type: 'CredentialObject',
        credentialType: 'MembershipCredential',
        offerReason: 'reissue',
        bindingMethods: ['did:web:'],
        profiles: ['vc11-sl2021/jwt', 'vc20-bssl/jwt'],
        issuancePolicy: {},
      },
    ],
  }
}

for (const kind of databaseKinds) {
  t.test(`DCP TCK CredentialOfferTest, 6.6.1 (${kind})`, async (t) => {
    const parties = await startLoopbackParties(t)
    const issuer = await parties.add('issuer')
    const thirdParty = await parties.add('thirdparty')
    const db = await createTestDatabase(t, kind)
    const server = await startTestServer(t, { db, env: { DID_WEB_HTTP_HOSTS: parties.host } })
    await createParticipant(server.internalApp, { id: 'holder', did: holderDid })
    const token = (extra: JWTPayload = {}) => issuer.sign(selfIssuedClaims(issuer.did, holderDid, extra))
    const now = Math.floor(Date.now() / 1000)
    const hour = 3600

    const post = (authorization: string | undefined, body: unknown) =>
      server.publicApp.inject({
        method: 'POST',
        url: '/p/holder/cs/offers',
        headers: { 'content-type': 'application/json; charset=utf-8', ...(authorization ? { authorization } : {}) },
        payload: JSON.stringify(body),
      })
    const listOffers = async () => (await adminRequest(server.internalApp, 'GET', '/v1/participants/holder/offers')).json().items

    t.test('6.6.1 credentialOfferMessage is stored', async (t) => {
      const body = tckOffer(issuer.did)
      const response = await post(`Bearer ${await token()}`, body)
      t.equal(response.statusCode, 200, response.body)
      const [offer] = await listOffers()
      t.equal(offer.issuerDid, issuer.did)
      t.same(offer.credentials, body.credentials)
    })

    t.test('6.6.1 onlyIds offer is stored', async (t) => {
      const entries = [{ id: randomUUID() }, { id: randomUUID() }]
      const response = await post(`Bearer ${await token()}`, tckOffer(issuer.did, entries))
      t.equal(response.statusCode, 200, response.body)
      t.same((await listOffers())[0].credentials, entries)
    })

    t.test('6.6.1 invalidBody with null issuer is rejected', async (t) => {
      const response = await post(`Bearer ${await token()}`, tckOffer(null))
      t.equal(response.statusCode, 400)
      t.equal(response.json().error, 'ERR_REQUEST_INVALID')
      t.match(response.json().message, /issuer/)
    })

    const negatives: Array<[string, () => Promise<string | undefined>, number, string]> = [
      ['noAuthHeader', async () => undefined, 401, 'ERR_AUTH_MISSING'],
      ['missingBearerPrefix', async () => token(), 401, 'ERR_AUTH_MISSING'],
      [
        'tokenSignedWithWrongKey',
        async () => `Bearer ${await (await createTestParty(issuer.did)).sign(selfIssuedClaims(issuer.did, holderDid))}`,
        401,
        'ERR_TOKEN_SIGNATURE_INVALID',
      ],
      ['tokenExpired', async () => `Bearer ${await token({ iat: now - 2 * hour, exp: now - hour })}`, 401, 'ERR_TOKEN_EXPIRED'],
      ['iatInFuture', async () => `Bearer ${await token({ iat: now + hour, exp: now + 2 * hour })}`, 401, 'ERR_TOKEN_NOT_YET_VALID'],
      ['nbfViolated', async () => `Bearer ${await token({ nbf: now + hour })}`, 401, 'ERR_TOKEN_NOT_YET_VALID'],
      ['incorrectAudience', async () => `Bearer ${await token({ aud: thirdParty.did })}`, 401, 'ERR_TOKEN_AUDIENCE_MISMATCH'],
      ['issNotEqualToSub', async () => `Bearer ${await token({ sub: thirdParty.did })}`, 401, 'ERR_TOKEN_SUBJECT_MISMATCH'],
    ]
    for (const [name, authorization, status, code] of negatives) {
      t.test(`6.6.1 ${name} is rejected`, async (t) => {
        const response = await post(await authorization(), tckOffer(issuer.did))
        t.equal(response.statusCode, status)
        t.equal(response.json().error, code)
      })
    }

    t.test('6.6.1 jtiAlreadyUsed is rejected on replay', async (t) => {
      const reused = `Bearer ${await token()}`
      t.equal((await post(reused, tckOffer(issuer.did))).statusCode, 200)
      const replay = await post(reused, tckOffer(issuer.did))
      t.equal(replay.statusCode, 401)
      t.equal(replay.json().error, 'ERR_TOKEN_REPLAYED')
    })

    t.test('offer naming another issuer than the signer is rejected', async (t) => {
      const response = await post(`Bearer ${await token()}`, tckOffer(thirdParty.did))
      t.equal(response.statusCode, 403)
      t.equal(response.json().error, 'ERR_DCP_SENDER_MISMATCH')
    })

    t.test('offers list pages by next', async (t) => {
      const first = await adminRequest(server.internalApp, 'GET', '/v1/participants/holder/offers?limit=2')
      t.equal(first.json().items.length, 2)
      const rest = await adminRequest(server.internalApp, 'GET', `/v1/participants/holder/offers?limit=100&after=${first.json().next}`)
      const ids = [...first.json().items, ...rest.json().items].map((offer: { id: string }) => offer.id)
      t.equal(new Set(ids).size, ids.length, 'no offer appears twice')
      t.equal(ids.length, 3)
    })
  })
}

for (const kind of databaseKinds) {
  t.test(`sparse offer completion (${kind})`, async (t) => {
    const parties = await startLoopbackParties(t)
    const issuer = await parties.add('issuer')
    const silent = await parties.add('silent')
    issuer.document.service = [{ id: `${issuer.did}#issuer-service`, type: 'IssuerService', serviceEndpoint: `http://${parties.host}/api/issuance/` }]
    const membership = { id: 'membership-id', type: 'CredentialObject', credentialType: 'MembershipCredential', profile: 'vc11-sl2021/jwt', offerReason: 'issuance' }
    parties.serve('/api/issuance/metadata', () => ({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ '@context': [dcpContextV1], type: 'IssuerMetadata', issuer: issuer.did, credentialsSupported: [membership] }),
    }))
    const db = await createTestDatabase(t, kind)
    const server = await startTestServer(t, { db, env: { DID_WEB_HTTP_HOSTS: parties.host, OFFER_COMPLETION_INTERVAL_SECONDS: '0' } })
    await createParticipant(server.internalApp, { id: 'holder', did: holderDid })
    const options = offerCompletionOptions(server.context.config, db, server.context.resolver, createLogger('silent'))
    const send = async (party: typeof issuer, credentials: object[]) => {
      const token = await party.sign(selfIssuedClaims(party.did, holderDid))
      const response = await server.publicApp.inject({ method: 'POST', url: '/p/holder/cs/offers', headers: { authorization: `Bearer ${token}` }, payload: tckOffer(party.did, credentials) })
      t.equal(response.statusCode, 200, response.body)
    }
    const offersOf = async (issuerDid: string) =>
      (await adminRequest(server.internalApp, 'GET', `/v1/participants/holder/offers?issuerDid=${encodeURIComponent(issuerDid)}`)).json().items

    t.test('sparse entries are filled from metadata', async (t) => {
      await send(issuer, [{ id: 'membership-id' }, { id: 'unknown-id' }])
      t.equal((await offersOf(issuer.did))[0].completionState, 'pending')
      await completePendingOffers(options, 10)
      const [offer] = await offersOf(issuer.did)
      t.equal(offer.completionState, 'complete')
      t.same(offer.credentials, [membership, { id: 'unknown-id' }])
    })

    t.test('full entries need no completion', async (t) => {
      await send(issuer, [membership])
      t.equal((await offersOf(issuer.did))[0].completionState, 'complete')
    })

    t.test('issuer without metadata fails after three attempts', async (t) => {
      await send(silent, [{ id: 'x' }])
      for (const expected of ['pending', 'pending', 'failed']) {
        await completePendingOffers(options, 10)
        const [offer] = await offersOf(silent.did)
        t.equal(offer.completionState, expected)
        t.match(offer.completionError, /has no IssuerService entry/)
      }
      t.equal(await completePendingOffers(options, 10), 0, 'failed offers are not retried')
    })
  })
}
