import { randomUUID } from 'node:crypto'
import t from 'tap'
import { decodeJwt } from 'jose'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'
import { upsertTrustedIssuer } from '../../src/storage/trusted-issuer-repository.js'
import { runCli } from '../helpers/cli.js'
import { createPostgresDatabase } from '../helpers/databases.js'
import { startLoopbackParties, vc11Claims } from '../helpers/dcp-parties.js'
import { adminRequest, startTestServer, testMasterKey } from '../helpers/server.js'
import { selfIssuedClaims } from '../helpers/test-party.js'

interface InspectionOutput {
  ok: boolean
  checks: { name: string; ok: boolean; detail: string }[]
  notes: string[]
}

const holderDid = 'did:web:localhost%3A8080:companyx'

t.test('inspect with the participant database', { skip: process.env.DATABASE_URL ? false : 'needs DATABASE_URL' }, async (t) => {
  const url = await createPostgresDatabase(t)
  const db = new PostgresDatabase({ url, poolMax: 5 })
  t.teardown(() => db.close())
  const parties = await startLoopbackParties(t)
  const verifier = await parties.add('verifier')
  const issuer = await parties.add('issuer')
  const server = await startTestServer(t, { db, env: { DID_WEB_HTTP_HOSTS: parties.host } })
  const created = await adminRequest(server.internalApp, 'POST', '/v1/participants', {
    body: { id: 'companyx', did: holderDid, displayName: 'companyx', roles: ['holder'] },
  })
  t.equal(created.statusCode, 201, created.body)
  const secret = created.json().stsClient.clientSecret as string

  async function inspect(args: string[]): Promise<{ code: number | null; output: InspectionOutput }> {
    const env = { DATABASE_URL: url, MASTER_KEY: testMasterKey }
    const result = await runCli(['inspect', '--json', '--allow-http-host', parties.host, '--participant', 'companyx', ...args], env)
    return { code: result.code, output: JSON.parse(result.stdout || '{}') as InspectionOutput }
  }

  function check(output: InspectionOutput, name: string) {
    const found = output.checks.find((entry) => entry.name === name)
    if (found === undefined) throw new Error(`no check ${JSON.stringify(name)} in ${JSON.stringify(output.checks.map((entry) => entry.name))}`)
    return found
  }

  /** Mints an access token for companyx through its STS, as for a scoped request. */
  async function mintedAccessToken(): Promise<string> {
    const response = await server.internalApp.inject({
      method: 'POST',
      url: '/sts/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: holderDid,
        client_secret: secret,
        audience: verifier.did,
        bearer_access_scope: 'org.eclipse.tractusx.vc.type:MembershipCredential:read',
      }).toString(),
    })
    return decodeJwt(response.json().access_token).token as string
  }

  t.test('access token minted here passes, then replay fails', async (t) => {
    const token = await verifier.sign(selfIssuedClaims(verifier.did, holderDid, { token: await mintedAccessToken() }))
    const first = await inspect(['--audience', holderDid, token])
    t.equal(first.code, 0, JSON.stringify(first.output.checks))
    t.equal(check(first.output, 'access token: minted by this participant').ok, true)
    t.equal(check(first.output, 'access token: MAC by a current access token key of this participant').ok, true)
    t.equal(check(first.output, 'not replayed').ok, true)

    const query = await server.publicApp.inject({
      method: 'POST',
      url: '/p/companyx/cs/presentations/query',
      headers: { authorization: `Bearer ${token}` },
      payload: { '@context': ['https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'], type: 'PresentationQueryMessage', scope: ['org.eclipse.tractusx.vc.type:MembershipCredential:read'] },
    })
    t.equal(query.statusCode, 200, query.body)

    const second = await inspect(['--audience', holderDid, token])
    t.equal(second.code, 1)
    const replay = check(second.output, 'not replayed')
    t.equal(replay.ok, false)
    t.match(replay.detail, /was already used with companyx/)
  })

  t.test('access token of another wallet is not minted here', async (t) => {
    const now = Math.floor(Date.now() / 1000)
    const foreign = await verifier.sign({
      iss: verifier.did,
      sub: verifier.did,
      aud: verifier.did,
      scope: 'org.eclipse.tractusx.vc.type:MembershipCredential:read',
      jti: randomUUID(),
      iat: now,
      exp: now + 300,
    })
    const token = await verifier.sign(selfIssuedClaims(verifier.did, holderDid, { token: foreign }))
    const { code, output } = await inspect(['--audience', holderDid, token])
    t.equal(code, 1)
    const minted = check(output, 'access token: minted by this participant')
    t.equal(minted.ok, false)
    t.match(minted.detail, `was not minted by ${JSON.stringify(holderDid)}`)
    t.equal(check(output, 'access token: MAC by a current access token key of this participant').ok, false)
  })

  t.test('trusted issuers come from the database', async (t) => {
    const credential = await issuer.sign(vc11Claims(issuer.did, holderDid, 'MembershipCredential'))
    const untrusted = await inspect(['--holder', holderDid, credential])
    t.equal(untrusted.code, 1)
    t.match(check(untrusted.output, 'issuer trusted').detail, /is not trusted; trusted issuers: none/)

    await upsertTrustedIssuer(db, { participantId: 'companyx', issuerDid: issuer.did, credentialTypes: ['MembershipCredential'] })
    const trusted = await inspect(['--holder', holderDid, credential])
    t.equal(trusted.code, 0, JSON.stringify(trusted.output.checks))
    t.match(check(trusted.output, 'issuer trusted').detail, /is a trusted issuer of companyx/)
  })

  t.test('unknown participant fails', async (t) => {
    const result = await runCli(['inspect', '--participant', 'nobody', holderDid], { DATABASE_URL: url })
    t.equal(result.code, 1)
    t.match(result.stderr, /participant "nobody" not found/)
  })
})
