import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { dcpContextV1 } from '../../src/dcp/context.js'
import type { Environment } from '../../src/config/config.js'
import { createParticipant } from '../helpers/admin.js'
import { createTestDatabase } from '../helpers/databases.js'
import { startLoopbackParties, vc11Claims } from '../helpers/dcp-parties.js'
import { adminRequest, startTestServer } from '../helpers/server.js'
import { createTestParty, selfIssuedClaims } from '../helpers/test-party.js'

const holderDid = 'did:web:localhost%3A8080:holder'

/**
 * Starts the service with `env` and an issuer whose DID document lists its key in no
 * verification relationship and is served without a Content-Type header, as DCP TCK
 * 1.0.0-RC6 serves its documents. Returns the response to one CredentialMessage from it.
 */
async function deliverFromLegacyIssuer(t: Test, env: Environment) {
  const parties = await startLoopbackParties(t)
  const issuer = await createTestParty(`did:web:${parties.host.replace(':', '%3A')}:legacy`)
  const { authentication, assertionMethod, capabilityInvocation, ...document } = issuer.document
  t.ok(authentication && assertionMethod && capabilityInvocation, 'the test party starts with relationships')
  parties.serve('/legacy/did.json', () => ({ status: 200, contentType: '', body: JSON.stringify(document) }))

  const db = await createTestDatabase(t, 'embedded')
  const server = await startTestServer(t, { db, env: { DID_WEB_HTTP_HOSTS: parties.host, ...env } })
  await createParticipant(server.internalApp, { id: 'holder', did: holderDid })
  const trusted = await adminRequest(
    server.internalApp,
    'PUT',
    `/v1/participants/holder/trusted-issuers/${encodeURIComponent(issuer.did)}`,
    { body: {} },
  )
  t.equal(trusted.statusCode, 200, trusted.body)

  const credential = await issuer.sign(vc11Claims(issuer.did, holderDid, 'MembershipCredential'))
  const message = {
    '@context': [dcpContextV1],
    type: 'CredentialMessage',
    holderPid: randomUUID(),
    issuerPid: randomUUID(),
    status: 'ISSUED',
    credentials: [{ credentialType: 'MembershipCredential', format: 'vc11-sl2021/jwt', payload: credential }],
  }
  return server.publicApp.inject({
    method: 'POST',
    url: '/p/holder/cs/credentials',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await issuer.sign(selfIssuedClaims(issuer.did, holderDid))}`,
    },
    payload: JSON.stringify(message),
  })
}

t.test('defaults reject a document without content type', async (t) => {
  const response = await deliverFromLegacyIssuer(t, {})
  t.equal(response.statusCode, 401)
  t.equal(response.json().error, 'ERR_DID_DOCUMENT_INVALID')
})

t.test('strict relationships reject an unlisted SI token key', async (t) => {
  const response = await deliverFromLegacyIssuer(t, { DID_ALLOW_MISSING_CONTENT_TYPE: 'true' })
  t.equal(response.statusCode, 401)
  t.equal(response.json().error, 'ERR_DID_KEY_RELATIONSHIP')
  t.match(response.json().message, /is not in "capabilityInvocation"/)
})

t.test('both settings accept the legacy issuer', async (t) => {
  const response = await deliverFromLegacyIssuer(t, {
    DID_ALLOW_MISSING_CONTENT_TYPE: 'true',
    DID_KEY_RELATIONSHIPS: 'any-listed',
  })
  t.equal(response.statusCode, 200, response.body)
})
