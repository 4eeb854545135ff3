import { createHmac, randomUUID } from 'node:crypto'
import t from 'tap'
import { SignJWT } from 'jose'
import { encodeStatusList, type StatusPurpose } from '../../src/credentials/status-list.js'
import { statusEntry, statusListCredentialClaims } from '../../src/credentials/status-list-credential.js'
import { runCli } from '../helpers/cli.js'
import { startLoopbackParties, vc11Claims } from '../helpers/dcp-parties.js'
import { selfIssuedClaims } from '../helpers/test-party.js'

interface CheckLine {
  name: string
  ok: boolean
  detail: string
}

interface InspectionOutput {
  kind: string
  ok: boolean
  checks: CheckLine[]
  notes: string[]
  decoded: Record<string, unknown>
}

t.test('inspect', async (t) => {
  const parties = await startLoopbackParties(t)
  const holder = await parties.add('holder')
  const verifier = await parties.add('verifier')
  const issuer = await parties.add('issuer')
  const hostOption = ['--allow-http-host', parties.host]

  async function inspect(args: string[]): Promise<{ code: number | null; output: InspectionOutput; stderr: string }> {
    const result = await runCli(['inspect', '--json', ...hostOption, ...args])
    return { code: result.code, output: JSON.parse(result.stdout || '{}') as InspectionOutput, stderr: result.stderr }
  }

  function check(output: InspectionOutput, name: string): CheckLine {
    const found = output.checks.find((entry) => entry.name === name)
    if (found === undefined) throw new Error(`no check ${JSON.stringify(name)} in ${JSON.stringify(output.checks.map((entry) => entry.name))}`)
    return found
  }

  /** Serves a status list of `purpose` with the given bits set and returns a credential status entry for `index`. */
  async function statusListWith(purpose: StatusPurpose, setIndices: number[], index: number) {
    const path = `/status/${randomUUID()}`
    const url = `http://${parties.host}${path}`
    const now = new Date()
    const claims = statusListCredentialClaims({
      type: 'StatusList2021',
      purpose,
      url,
      issuerDid: issuer.did,
      encodedList: encodeStatusList(1024, setIndices, 'StatusList2021'),
      issuedAt: now,
      expiresAt: new Date(now.getTime() + 3600_000),
    })
    const jwt = await issuer.sign(claims)
    parties.serve(path, () => ({ status: 200, contentType: 'application/vc+jwt', body: jwt }))
    return { url, entry: statusEntry('StatusList2021', purpose, url, index) }
  }

  t.test('good SI token passes', async (t) => {
    const token = await holder.sign(selfIssuedClaims(holder.did, verifier.did))
    const { code, output } = await inspect(['--audience', verifier.did, token])
    t.equal(code, 0, JSON.stringify(output.checks))
    t.equal(output.kind, 'self-issued-token')
    t.equal(output.ok, true)
    t.equal(check(output, 'signature').ok, true)
    t.equal(check(output, 'key in capabilityInvocation').ok, true)
    t.match(output.notes.join('\n'), /replay is not checked/)
  })

  t.test('readable output marks each check', async (t) => {
    const token = await holder.sign(selfIssuedClaims(holder.did, verifier.did))
    const result = await runCli(['inspect', ...hostOption, '--audience', 'did:web:other.example', token])
    t.equal(result.code, 1)
    t.match(result.stdout, /^Self-Issued ID token\n/)
    t.match(result.stdout, /\n {2}ok {3}signature: verifies\n/)
    t.match(result.stdout, /\n {2}FAIL audience: /)
    t.match(result.stdout, /\n1 of \d+ checks failed\n$/)
  })

  t.test('expired token says how long ago', async (t) => {
    const now = Math.floor(Date.now() / 1000)
    const token = await holder.sign(selfIssuedClaims(holder.did, verifier.did, { iat: now - 900, exp: now - 600 }))
    const { code, output } = await inspect(['--audience', verifier.did, token])
    t.equal(code, 1)
    const times = check(output, 'time claims')
    t.equal(times.ok, false)
    t.match(times.detail, /expired at .*\(10 minutes ago\)/)
    t.equal(check(output, 'signature').ok, true, 'other checks still run')
  })

  t.test('token issued in the future is not yet valid', async (t) => {
    const now = Math.floor(Date.now() / 1000)
    const token = await holder.sign(selfIssuedClaims(holder.did, verifier.did, { iat: now + 3600, exp: now + 4000 }))
    const { code, output } = await inspect(['--audience', verifier.did, token])
    t.equal(code, 1)
    t.match(check(output, 'time claims').detail, /issued in the future .*\(in (59 minutes|1 hour)\)/)
  })

  t.test('audience mismatch shows expected and received', async (t) => {
    const token = await holder.sign(selfIssuedClaims(holder.did, verifier.did))
    const { code, output } = await inspect(['--audience', holder.did, token])
    t.equal(code, 1)
    const audience = check(output, 'audience')
    t.equal(audience.ok, false)
    t.match(audience.detail, `expected ${JSON.stringify(holder.did)}, got ${JSON.stringify(verifier.did)}`)
  })

  t.test('iss different from sub fails', async (t) => {
    const token = await holder.sign(selfIssuedClaims(holder.did, verifier.did, { sub: verifier.did }))
    const { code, output } = await inspect([token])
    t.equal(code, 1)
    t.match(check(output, 'iss = sub').detail, /has "iss" .* but "sub"/)
  })

  t.test('kid missing from the DID document fails', async (t) => {
    const token = await holder.sign(selfIssuedClaims(holder.did, verifier.did), { kid: `${holder.did}#key-9` })
    const { code, output } = await inspect(['--audience', verifier.did, token])
    t.equal(code, 1)
    const kid = check(output, 'kid in DID document')
    t.equal(kid.ok, false)
    t.match(kid.detail, /has no verification method .*#key-9/)
  })

  t.test('key outside capabilityInvocation fails', async (t) => {
    const party = await parties.add('no-invocation')
    party.document.capabilityInvocation = []
    const token = await party.sign(selfIssuedClaims(party.did, verifier.did))
    const { code, output } = await inspect(['--audience', verifier.did, token])
    t.equal(code, 1)
    const relationship = check(output, 'key in capabilityInvocation')
    t.equal(relationship.ok, false)
    t.match(relationship.detail, /is not in "capabilityInvocation"/)
  })

  t.test('signature by another key fails', async (t) => {
    const forged = await new SignJWT(selfIssuedClaims(holder.did, verifier.did))
      .setProtectedHeader({ alg: 'ES256', kid: holder.kid, typ: 'JWT' })
      .sign(verifier.privateKey)
    const { code, output } = await inspect(['--audience', verifier.did, forged])
    t.equal(code, 1)
    const signature = check(output, 'signature')
    t.equal(signature.ok, false)
    t.match(signature.detail, /does not verify/)
    t.equal(check(output, 'kid in DID document').ok, true)
  })

  t.test('unresolvable DID says why', async (t) => {
    const ghost = await parties.add('ghost')
    const token = await ghost.sign(selfIssuedClaims(`did:web:${parties.host.replace(':', '%3A')}:missing`, verifier.did))
    const { code, output } = await inspect(['--audience', verifier.did, token])
    t.equal(code, 1)
    const resolves = check(output, 'DID resolves')
    t.equal(resolves.ok, false)
    t.match(resolves.detail, /404|not found/i)
  })

  t.test('http DID without an allowed host is refused', async (t) => {
    const token = await holder.sign(selfIssuedClaims(holder.did, verifier.did))
    const result = await runCli(['inspect', '--json', token])
    t.equal(result.code, 1)
    const output = JSON.parse(result.stdout) as InspectionOutput
    t.equal(check(output, 'DID resolves').ok, false)
    t.match(check(output, 'DID resolves').detail, /is a loopback address; only hosts on DID_WEB_HTTP_HOSTS/)
  })

  t.test('embedded access token is inspected', async (t) => {
    const now = Math.floor(Date.now() / 1000)
    const accessToken = await holder.sign({
      iss: holder.did,
      sub: verifier.did,
      aud: holder.did,
      scope: 'org.eclipse.tractusx.vc.type:MembershipCredential:read',
      jti: randomUUID(),
      iat: now,
      exp: now + 300,
    })
    const token = await verifier.sign(selfIssuedClaims(verifier.did, holder.did, { token: accessToken }))
    const { code, output } = await inspect(['--audience', holder.did, token])
    t.equal(code, 0, JSON.stringify(output.checks))
    t.equal(check(output, 'access token: sub = presenter').ok, true)
    t.equal(check(output, 'access token: signature').ok, true, 'an access token of another wallet is signed by its holder')
    t.equal((output.decoded.token as { kind: string }).kind, 'access-token')

    const expiredAccess = await holder.sign({
      iss: holder.did,
      sub: verifier.did,
      aud: holder.did,
      scope: 'org.eclipse.tractusx.vc.type:MembershipCredential:read',
      jti: randomUUID(),
      iat: now - 3600,
      exp: now - 1800,
    })
    const stale = await verifier.sign(selfIssuedClaims(verifier.did, holder.did, { token: expiredAccess }))
    const staleResult = await inspect(['--audience', holder.did, stale])
    t.equal(staleResult.code, 1)
    t.match(check(staleResult.output, 'access token: time claims').detail, /the access token expired at .*\(30 minutes ago\)/)

    // The consumer's own SI token hands the access token to the provider, which is its sub.
    const granting = await holder.sign(selfIssuedClaims(holder.did, verifier.did, { token: accessToken }))
    const granted = await inspect(['--audience', verifier.did, granting])
    t.equal(granted.code, 0, JSON.stringify(granted.output.checks))
    t.notOk(granted.output.checks.some((entry) => entry.name === 'access token: sub = presenter'), 'the binding is not checked on the granting token')
    t.match(granted.output.notes.join('\n'), `granted by "${holder.did}"'s own wallet to "${verifier.did}"`)

    const foreign = await verifier.sign(selfIssuedClaims(verifier.did, holder.did, { token: 'opaque-edr-token' }))
    const opaque = await inspect(['--audience', holder.did, foreign])
    t.equal(opaque.code, 0)
    t.match(opaque.output.notes.join('\n'), /not a JWT; it is passed on as an opaque token/)
  })

  t.test('credential from an untrusted issuer fails', async (t) => {
    const credential = await issuer.sign(vc11Claims(issuer.did, holder.did, 'MembershipCredential'))
    const untrusted = await inspect(['--holder', holder.did, '--trusted-issuer', verifier.did, credential])
    t.equal(untrusted.code, 1)
    t.equal(untrusted.output.kind, 'credential')
    const trust = check(untrusted.output, 'issuer trusted')
    t.equal(trust.ok, false)
    t.match(trust.detail, `issuer ${JSON.stringify(issuer.did)} is not trusted`)

    const trusted = await inspect(['--holder', holder.did, '--trusted-issuer', issuer.did, credential])
    t.equal(trusted.code, 0, JSON.stringify(trusted.output.checks))
    t.equal(check(trusted.output, 'issuer trusted').ok, true)
  })

  t.test('credential for another subject fails', async (t) => {
    const credential = await issuer.sign(vc11Claims(issuer.did, verifier.did, 'MembershipCredential'))
    const { code, output } = await inspect(['--holder', holder.did, credential])
    t.equal(code, 1)
    const subject = check(output, 'subject = holder')
    t.equal(subject.ok, false)
    t.match(subject.detail, `is issued to ${JSON.stringify(verifier.did)}, not to ${JSON.stringify(holder.did)}`)
  })

  t.test('presentation with a credential of another subject fails', async (t) => {
    const credential = await issuer.sign(vc11Claims(issuer.did, verifier.did, 'MembershipCredential'))
    const now = Math.floor(Date.now() / 1000)
    const presentation = await holder.sign({
      iss: holder.did,
      aud: verifier.did,
      jti: randomUUID(),
      iat: now,
      exp: now + 60,
      vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: [credential] },
    })
    const { code, output } = await inspect(['--audience', verifier.did, presentation])
    t.equal(code, 1)
    t.equal(output.kind, 'presentation')
    t.equal(check(output, 'signature').ok, true)
    t.equal(check(output, 'key in authentication').ok, true)
    t.equal(check(output, 'credential 0: subject = holder').ok, false)
    t.equal(check(output, 'credential 0: signature').ok, true)
  })

  t.test('VC 2.0 credential is inspected', async (t) => {
    const now = Math.floor(Date.now() / 1000)
    const credential = await issuer.sign(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: `urn:uuid:${randomUUID()}`,
        type: ['VerifiableCredential', 'MembershipCredential'],
        issuer: issuer.did,
        validFrom: new Date((now - 900) * 1000).toISOString(),
        validUntil: new Date((now - 600) * 1000).toISOString(),
        credentialSubject: { id: holder.did },
      },
      { typ: 'vc+jwt' },
    )
    const { code, output } = await inspect(['--holder', holder.did, credential])
    t.equal(code, 1)
    t.equal((output.decoded as { profile: string }).profile, 'vc20-bssl/jwt')
    t.match(check(output, 'validity period').detail, /expired at .*\(10 minutes ago\)/)
  })

  t.test('revoked credential fails', async (t) => {
    const { entry } = await statusListWith('revocation', [7], 7)
    const credential = await issuer.sign(vc11Claims(issuer.did, holder.did, 'MembershipCredential', { credentialStatus: entry }))
    const { code, output } = await inspect(['--holder', holder.did, credential])
    t.equal(code, 1)
    t.equal(check(output, 'status list (revocation)').ok, true)
    const revoked = check(output, 'not revoked')
    t.equal(revoked.ok, false)
    t.match(revoked.detail, /the credential is revoked: bit .* index 7 is set/)
  })

  t.test('suspended credential fails, clear bit passes', async (t) => {
    const suspended = await statusListWith('suspension', [3], 3)
    const credential = await issuer.sign(vc11Claims(issuer.did, holder.did, 'MembershipCredential', { credentialStatus: suspended.entry }))
    const result = await inspect(['--holder', holder.did, credential])
    t.equal(result.code, 1)
    t.match(check(result.output, 'not suspended').detail, /the credential is suspended/)

    const clear = await statusListWith('suspension', [3], 4)
    const usable = await issuer.sign(vc11Claims(issuer.did, holder.did, 'MembershipCredential', { credentialStatus: clear.entry }))
    const passed = await inspect(['--holder', holder.did, usable])
    t.equal(passed.code, 0, JSON.stringify(passed.output.checks))
    t.match(check(passed.output, 'not suspended').detail, /index 4 is clear/)
  })

  t.test('status list URL is inspected', async (t) => {
    const { url } = await statusListWith('revocation', [1, 2, 3], 0)
    const { code, output } = await inspect([url])
    t.equal(code, 0, JSON.stringify(output.checks))
    t.equal(output.kind, 'status-list')
    t.match(output.decoded, { kind: 'StatusList2021', issuer: issuer.did, purpose: 'revocation', entries: 1024, setEntries: 3 })

    const missing = await inspect([`http://${parties.host}/status/none`])
    t.equal(missing.code, 1)
    t.match(check(missing.output, 'status list fetched and verified').detail, /returned HTTP 404/)
  })

  t.test('DID document missing service and relationship', async (t) => {
    const party = await parties.add('incomplete')
    party.document.capabilityInvocation = []
    const { code, output } = await inspect([party.did])
    t.equal(code, 1)
    t.equal(output.kind, 'did-document')
    t.equal(check(output, 'DID resolves').ok, true)
    t.equal(check(output, 'authentication').ok, true)
    t.match(check(output, 'capabilityInvocation').detail, /empty or missing, so Self-Issued ID tokens of this DID cannot be verified/)
    t.match(check(output, 'CredentialService').detail, /no "CredentialService" entry/)

    party.document.capabilityInvocation = [party.kid]
    party.document.service = [{ id: `${party.did}#cs`, type: 'CredentialService', serviceEndpoint: 'https://wallet.example/api' }]
    const url = `http://${parties.host}/incomplete/did.json`
    const complete = await inspect([url])
    t.equal(complete.code, 0, JSON.stringify(complete.output.checks))
    t.equal(check(complete.output, 'CredentialService').detail, 'https://wallet.example/api')
  })

  t.test('usage errors exit 64', async (t) => {
    const missing = await runCli(['inspect'])
    t.equal(missing.code, 64)
    const database = await runCli(['inspect', '--participant', 'companyx', 'did:web:127.0.0.1%3A1:x'])
    t.equal(database.code, 64)
    t.match(database.stderr, /--participant needs DATABASE_URL/)
    const badHost = await runCli(['inspect', '--allow-http-host', 'not a host', 'did:web:127.0.0.1%3A1:x'])
    t.equal(badHost.code, 64)
  })

  t.test('bare access token is inspected', async (t) => {
    const now = Math.floor(Date.now() / 1000)
    const accessToken = await holder.sign({
      iss: holder.did,
      sub: verifier.did,
      aud: holder.did,
      scope: 'org.eclipse.tractusx.vc.type:MembershipCredential:read',
      jti: randomUUID(),
      iat: now,
      exp: now + 300,
    })
    const { code, output } = await inspect([accessToken])
    t.equal(code, 0, JSON.stringify(output.checks))
    t.equal(output.kind, 'access-token')
    t.equal(check(output, 'iss = aud').ok, true)
    t.equal(check(output, 'signature').ok, true)

    const claims = Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()
    const input = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'k1' })).toString('base64url')}.${Buffer.from(claims).toString('base64url')}`
    const maced = `${input}.${createHmac('sha256', Buffer.alloc(32)).update(input).digest('base64url')}`
    const hs256 = await inspect([maced])
    t.equal(hs256.output.kind, 'access-token')
    t.notOk(hs256.output.checks.some((entry) => entry.name === 'signature'), 'an HMAC has no public key to check it with')
    t.match(hs256.output.notes.join('\n'), /whether this service minted the access token is not checked, as only the service has its MAC key/)
  })

  t.test('garbage input fails', async (t) => {
    const { code, output } = await inspect(['not-a-token'])
    t.equal(code, 1)
    t.equal(output.kind, 'unknown')
  })
})

