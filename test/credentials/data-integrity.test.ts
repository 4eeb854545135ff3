import { createServer } from 'node:net'
import t from 'tap'
import { decodeJwt } from 'jose'
import * as vc from '@digitalbazaar/vc'
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import { cryptosuite } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite'
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list'
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context'
import { contexts as didContexts } from 'did-context'
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context'
import { contexts as bitstringContexts } from '@digitalbazaar/vc-bitstring-status-list-context'
import { createStatusListClient } from '../../src/holder/status/status-refresh-task.js'
import { refreshCredentialStates } from '../../src/holder/status/refresh-credential-states.js'
import { createLogger } from '../../src/observability/logger.js'
import { createParticipant } from '../helpers/admin.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { dcpFetch, issuerId, requestMessage, startIssuerFixture, type JsonBody } from '../helpers/issuer-fixture.js'
import { adminRequest, startTestServer } from '../helpers/server.js'

// The verifier side of this test uses only Digital Bazaar's libraries, the contexts as their npm
// packages publish them, and DID documents fetched from the running service over loopback HTTP.
// None of the service's own JSON-LD or DID code takes part in these checks.

const independentContexts = new Map<string, unknown>([
  ...(credentialsContexts as Map<string, unknown>),
  ...(didContexts as Map<string, unknown>),
  ...(dataIntegrityContexts as Map<string, unknown>),
  ...(bitstringContexts as Map<string, unknown>),
])

/** Creates a document loader that reads contexts from npm packages and DID documents over HTTP. */
function independentLoader(base: string, fetched: string[]) {
  return async (url: string) => {
    const context = independentContexts.get(url)
    if (context !== undefined) return { contextUrl: null, documentUrl: url, document: context }
    if (url.startsWith('did:web:')) {
      const [did, fragment] = url.split('#') as [string, string | undefined]
      const path = did.split(':').slice(3).join('/')
      const response = await fetch(`${base}/${path}/did.json`)
      fetched.push(url)
      const document = (await response.json()) as JsonBody
      if (fragment === undefined) return { contextUrl: null, documentUrl: url, document }
      const method = document.verificationMethod.find((entry: { id: string }) => entry.id === url)
      return { contextUrl: null, documentUrl: url, document: { '@context': document['@context'], ...method } }
    }
    if (url.startsWith(`${base}/`)) {
      const response = await fetch(url, { headers: { accept: 'application/vc' } })
      fetched.push(url)
      return { contextUrl: null, documentUrl: url, document: await response.json() }
    }
    throw new Error(`the independent loader does not load ${url}`)
  }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const scope = 'org.eclipse.dspace.dcp.vc.type:MembershipCredential:read'
const bpnScope = 'org.eclipse.dspace.dcp.vc.type:BpnCredential:read'
const dcpContext = 'https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'

for (const kind of databaseKinds) {
  t.test(`${kind}: Data Integrity credential end to end`, async (t) => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const didOf = (id: string) => `did:web:127.0.0.1%3A${port}:${id}`
    const issuerDid = didOf('authority')
    const holderDid = didOf('companyx')
    const verifierDid = didOf('companyy')

    const db = await createTestDatabase(t, kind)
    const server = await startTestServer(t, {
      db,
      env: {
        PUBLIC_PORT: String(port),
        PUBLIC_BASE_URL: base,
        DID_WEB_HTTP_HOSTS: `127.0.0.1:${port}`,
        STATUS_REFRESH_INTERVAL_SECONDS: '0',
        STATUS_LIST_CACHE_TTL_SECONDS: '0',
        ISSUER_DELIVERY_BACKOFF_SECONDS: '1',
        LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent',
      },
    })
    const app = server.internalApp
    const secrets: Record<string, string> = {}
    for (const [id, did, roles] of [
      ['authority', issuerDid, ['issuer']],
      ['companyx', holderDid, ['holder']],
      ['companyy', verifierDid, ['holder']],
    ] as const) {
      const created = await adminRequest(app, 'POST', '/v1/participants', { body: { id, did, displayName: id, roles } })
      t.equal(created.statusCode, 201, `participant ${id} created`)
      secrets[did] = created.json().stsClient.clientSecret
    }
    const registered = await adminRequest(app, 'POST', '/v1/participants/authority/issuer/holders', {
      body: { did: holderDid, name: 'companyx', attributes: { bpn: 'BPNL000000000001' } },
    })
    t.equal(registered.statusCode, 201)
    const definition = await adminRequest(app, 'POST', '/v1/participants/authority/issuer/credential-definitions', {
      body: {
        id: 'membership-di',
        credentialType: 'MembershipCredential',
        profile: 'vc20-bssl/json-ld',
        claims: { holderIdentifier: { attribute: 'bpn' } },
        // This context maps terms that no other context defines, such as holderIdentifier.
        contexts: ['https://www.w3.org/ns/credentials/undefined-terms/v2'],
      },
    })
    t.equal(definition.statusCode, 201, definition.body)
    const jwtDefinition = await adminRequest(app, 'POST', '/v1/participants/authority/issuer/credential-definitions', {
      body: { id: 'bpn-jwt', credentialType: 'BpnCredential', profile: 'vc11-sl2021/jwt', claims: { bpn: { attribute: 'bpn' } } },
    })
    t.equal(jwtDefinition.statusCode, 201, jwtDefinition.body)
    const trusted = await adminRequest(app, 'PUT', `/v1/participants/companyx/trusted-issuers/${encodeURIComponent(issuerDid)}`, {
      body: { credentialTypes: [] },
    })
    t.equal(trusted.statusCode, 200, trusted.body)

    async function stsToken(did: string, fields: Record<string, string>): Promise<string> {
      const response = await app.inject({
        method: 'POST',
        url: '/sts/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: did, client_secret: secrets[did]!, ...fields }).toString(),
      })
      return response.json().access_token as string
    }
    async function dcpPost(path: string, token: string, body: object) {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return { status: response.status, body: (await response.json().catch(() => null)) as JsonBody }
    }
    async function heldCredentials(): Promise<JsonBody[]> {
      return (await adminRequest(app, 'GET', '/v1/participants/companyx/credentials')).json().items
    }

    const requested = await dcpPost('/p/authority/is/credentials', await stsToken(holderDid, { audience: issuerDid }), {
      '@context': [dcpContext],
      type: 'CredentialRequestMessage',
      holderPid: 'pid-di-1',
      credentials: [{ id: 'membership-di' }, { id: 'bpn-jwt' }],
    })
    t.equal(requested.status, 201, 'credential request accepted')

    let holderCredentials: JsonBody[] = []
    for (let attempt = 0; attempt < 200 && holderCredentials.length < 2; attempt += 1) {
      holderCredentials = await heldCredentials()
      if (holderCredentials.length < 2) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    t.equal(holderCredentials.length, 2, 'the wallet stored both delivered credentials')
    const summary = holderCredentials.find((entry) => entry.types.includes('MembershipCredential'))
    t.equal(summary?.profile, 'vc20-bssl/json-ld')
    t.equal(summary?.issuerDid, issuerDid)
    const stored = (await adminRequest(app, 'GET', `/v1/participants/companyx/credentials/${summary?.id}`)).json()
    const credential = JSON.parse(stored.raw) as JsonBody
    t.same(credential.type, ['VerifiableCredential', 'MembershipCredential'])
    t.equal(credential['@context'][0], 'https://www.w3.org/ns/credentials/v2')
    t.equal(credential.proof.type, 'DataIntegrityProof')
    t.equal(credential.proof.cryptosuite, 'ecdsa-rdfc-2019')
    t.equal(credential.proof.proofPurpose, 'assertionMethod')
    t.match(credential.proof.verificationMethod, new RegExp(`^${issuerDid.replace(/[.%]/g, '\\$&')}#key-`))
    t.same(credential.credentialSubject, { id: holderDid, holderIdentifier: 'BPNL000000000001' })
    t.equal(credential.credentialStatus.type, 'BitstringStatusListEntry')
    t.equal(credential.credentialStatus.statusPurpose, 'revocation')
    t.ok(credential.credentialStatus.statusListCredential.startsWith(`${base}/p/authority/status-lists/`))

    const fetched: string[] = []
    const documentLoader = independentLoader(base, fetched)
    const suite = new DataIntegrityProof({ cryptosuite })
    const bitstringCheck = (options: { credential: Record<string, unknown> }) =>
      checkStatus({ credential: options.credential, documentLoader, suite, verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true })

    t.test('credential verifies with @digitalbazaar/vc', async (t) => {
      const result = await vc.verifyCredential({ credential, suite, documentLoader, checkStatus: bitstringCheck })
      t.equal(result.verified, true, result.error?.message ?? 'verified')
      t.ok(fetched.some((url) => url.startsWith(`${issuerDid}#`)), 'the issuer key came over HTTP')
    })

    t.test('status list verifies and the bit is clear', async (t) => {
      const listUrl = credential.credentialStatus.statusListCredential as string
      const response = await fetch(listUrl, { headers: { accept: 'application/vc' } })
      t.equal(response.status, 200)
      const list = (await response.json()) as JsonBody
      t.equal(list.proof.cryptosuite, 'ecdsa-rdfc-2019')
      t.same(list.type, ['VerifiableCredential', 'BitstringStatusListCredential'])
      const listResult = await vc.verifyCredential({ credential: list, suite, documentLoader })
      t.equal(listResult.verified, true, listResult.error?.message ?? 'list verified')
      const status = await bitstringCheck({ credential })
      t.equal(status.verified, true, status.error?.message ?? 'status checked')
      t.equal(status.results?.[0]?.status, false, 'not revoked')
    })

    async function query(scopes = [scope]): Promise<{ body: JsonBody; jti: string }> {
      const holderSi = await stsToken(holderDid, { audience: verifierDid, bearer_access_scope: scopes.join(' ') })
      const accessToken = decodeJwt(holderSi).token as string
      const verifierSi = await stsToken(verifierDid, { audience: holderDid, token: accessToken })
      const response = await dcpPost('/p/companyx/cs/presentations/query', verifierSi, {
        '@context': [dcpContext],
        type: 'PresentationQueryMessage',
        scope: scopes,
      })
      t.equal(response.status, 200, JSON.stringify(response.body))
      return { body: response.body, jti: decodeJwt(verifierSi).jti as string }
    }

    t.test('presentation verifies with @digitalbazaar/vc', async (t) => {
      const { body, jti } = await query()
      t.equal(body.presentation.length, 1, 'one presentation for the one format group')
      const presentation = body.presentation[0]
      t.type(presentation, 'object', 'a JSON-LD presentation, not a JWT')
      t.equal(presentation.holder, holderDid)
      t.equal(presentation.proof.proofPurpose, 'authentication')
      t.equal(presentation.proof.domain, verifierDid)
      t.equal(presentation.proof.challenge, jti, 'challenge is the jti of the verifier SI token')
      t.same(presentation.verifiableCredential, [credential], 'the stored credential unchanged')
      const result = await vc.verify({ presentation, suite, documentLoader, challenge: jti, domain: verifierDid, checkStatus: bitstringCheck })
      t.equal(result.verified, true, result.error?.message ?? 'verified')

      const wrongChallenge = await vc.verify({ presentation, suite, documentLoader, challenge: 'other', domain: verifierDid, checkStatus: bitstringCheck })
      t.equal(wrongChallenge.verified, false, 'a different challenge fails')
    })

    t.test('mixed formats give two presentations', async (t) => {
      const { body } = await query([scope, bpnScope])
      t.equal(body.presentation.length, 2, 'one presentation per format group')
      const jwtPresentations = body.presentation.filter((entry: unknown) => typeof entry === 'string')
      const jsonLdPresentations = body.presentation.filter((entry: unknown) => typeof entry === 'object')
      t.equal(jwtPresentations.length, 1)
      t.equal(jsonLdPresentations.length, 1)
      const vp = decodeJwt(jwtPresentations[0]).vp as JsonBody
      t.equal(vp.verifiableCredential.length, 1, 'the JWT presentation holds the JWT credential only')
      t.same(jsonLdPresentations[0].verifiableCredential, [credential], 'the JSON-LD presentation holds the Data Integrity credential only')
    })

    t.test('tampered credential rejected at the Storage API', async (t) => {
      const tampered = { ...credential, credentialSubject: { ...credential.credentialSubject, holderIdentifier: 'BPNL000000000999' } }
      const response = await dcpPost('/p/companyx/cs/credentials', await stsToken(issuerDid, { audience: holderDid }), {
        '@context': [dcpContext],
        type: 'CredentialMessage',
        issuerPid: 'issuer-pid-tampered',
        holderPid: 'pid-tampered',
        status: 'ISSUED',
        credentials: [{ credentialType: 'MembershipCredential', format: 'json-ld', payload: JSON.stringify(tampered) }],
      })
      t.equal(response.status, 400)
      t.equal(response.body.error, 'ERR_CREDENTIAL_INVALID')
      t.match(response.body.message, /Data Integrity proof .* does not verify: .*[Ii]nvalid signature/)

      const imported = await adminRequest(app, 'POST', '/v1/participants/companyx/credentials', { body: { credential: tampered } })
      t.equal(imported.statusCode, 400)
      t.equal(imported.json().error, 'ERR_CREDENTIAL_INVALID')
      t.equal((await heldCredentials()).length, 2, 'nothing stored')
    })

    t.test('unknown context rejected without network', async (t) => {
      const foreign = { ...credential, '@context': [...credential['@context'], 'https://example.invalid/context/v1'] }
      const imported = await adminRequest(app, 'POST', '/v1/participants/companyx/credentials', { body: { credential: foreign } })
      t.equal(imported.statusCode, 400)
      t.equal(imported.json().error, 'ERR_CREDENTIAL_INVALID')
      t.match(imported.json().message, /https:\/\/example\.invalid\/context\/v1/)
    })

    t.test('revoked credential is left out', async (t) => {
      const issued = (await adminRequest(app, 'GET', '/v1/participants/authority/issuer/issued-credentials')).json().items
      const issuedDataIntegrity = issued.filter((entry: JsonBody) => entry.profile === 'vc20-bssl/json-ld')
      t.equal(issuedDataIntegrity.length, 1)
      const revoked = await adminRequest(
        app,
        'POST',
        `/v1/participants/authority/issuer/issued-credentials/${issuedDataIntegrity[0].id}/revoke`,
      )
      t.equal(revoked.statusCode, 200, revoked.body)

      const status = await bitstringCheck({ credential })
      t.equal(status.verified, true, status.error?.message ?? 'status checked')
      t.equal(status.results?.[0]?.status, true, '@digitalbazaar/vc-bitstring-status-list reads the bit as set')

      const client = createStatusListClient(server.context.config, server.context.resolver)
      const outcome = await refreshCredentialStates(db, client, createLogger('silent'), { batchSize: 100 })
      t.equal(outcome.changed, 1, JSON.stringify(outcome))
      const after = (await heldCredentials()).find((entry) => entry.id === summary?.id)
      t.equal(after?.state, 'revoked')
      const { body } = await query()
      t.same(body.presentation, [], 'no presentation without presentable credentials')
    })
  })
}

t.test('definition with an unbundled context is rejected', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const server = await startTestServer(t, { db })
  await createParticipant(server.internalApp, { id: 'authority', did: 'did:web:issuer.test:authority', roles: ['issuer'], createKey: true })
  const response = await adminRequest(server.internalApp, 'POST', '/v1/participants/authority/issuer/credential-definitions', {
    body: {
      id: 'membership-di',
      credentialType: 'MembershipCredential',
      profile: 'vc20-bssl/json-ld',
      contexts: ['https://w3id.org/catenax/credentials/v1.0.0'],
    },
  })
  t.equal(response.statusCode, 400)
  t.equal(response.json().error, 'ERR_JSONLD_CONTEXT_UNKNOWN')
  t.match(response.json().message, /catenax/)
})

t.test('delivery uses container format json-ld', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const fixture = await startIssuerFixture(t, {
    db,
    env: { ISSUER_CONTAINER_FORMAT: 'VC1_0_JWT' },
    definitions: [
      {
        id: 'membership-di',
        credentialType: 'MembershipCredential',
        profile: 'vc20-bssl/json-ld',
        claims: { holderIdentifier: { attribute: 'bpn' } },
        contexts: ['https://www.w3.org/ns/credentials/undefined-terms/v2'],
      },
    ],
  })
  const response = await dcpFetch(fixture.baseUrl, `/p/${issuerId}/is/credentials`, {
    token: await fixture.holderToken(),
    body: requestMessage('pid-format', ['membership-di']),
  })
  t.equal(response.status, 201)
  const [delivery] = await fixture.holder.waitForDeliveries(1)
  const [container] = delivery!.body.credentials
  t.equal(container.format, 'json-ld', 'the JWT container format setting does not apply')
  t.equal(container.credentialType, 'MembershipCredential')
  t.type(container.payload, 'string', 'the payload is the JSON text')
  const credential = JSON.parse(container.payload)
  t.equal(credential.proof.type, 'DataIntegrityProof')
  t.equal(credential.credentialSubject.id, fixture.holder.party.did)

  const metadata = await dcpFetch(fixture.baseUrl, `/p/${issuerId}/is/metadata`)
  t.equal(metadata.body.credentialsSupported[0].profile, 'vc20-bssl/json-ld')
})
