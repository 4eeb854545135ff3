import { randomUUID } from 'node:crypto'
import t from 'tap'
import type { JWTPayload } from 'jose'
import { loadConfig } from '../../src/config/config.js'
import { verifyJwtCredential } from '../../src/credentials/verify-jwt-credential.js'
import { DidResolver } from '../../src/did/resolver.js'
import { AppError } from '../../src/errors/app-error.js'
import { createTestParty, documentsOf } from '../helpers/test-party.js'

const holderDid = 'did:web:holder.example'

/** Claims of a VC 1.1 JWT credential as the official TCK and Tractus-X issuers write them. */
function vc11(issuer: string, overrides: { vc?: Record<string, unknown>; claims?: JWTPayload } = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000)
  return {
    iss: issuer,
    sub: holderDid,
    jti: randomUUID(),
    iat: now,
    nbf: now - 5,
    exp: now + 600,
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      id: randomUUID(),
      type: ['VerifiableCredential', 'MembershipCredential'],
      issuer,
      issuanceDate: new Date((now - 5) * 1000).toISOString(),
      expirationDate: new Date((now + 600) * 1000).toISOString(),
      credentialSubject: { id: holderDid, holderIdentifier: 'BPNL000000000001' },
      ...overrides.vc,
    },
    ...overrides.claims,
  }
}

t.test('JWT credential verification', async (t) => {
  const issuer = await createTestParty('did:web:issuer.example')
  const stranger = await createTestParty('did:web:stranger.example')
  const resolver = new DidResolver({ config: loadConfig({}).did, localDocuments: documentsOf(issuer, stranger) })
  const check = { holderDid, nowMs: Date.now(), leewaySeconds: 5 }

  async function refusal(raw: string): Promise<string> {
    const error = await verifyJwtCredential(resolver, raw, check).then(() => undefined, (e: unknown) => e)
    if (!(error instanceof AppError)) throw new Error(`expected a refusal, got ${String(error)}`)
    t.equal(error.code, 'ERR_CREDENTIAL_INVALID')
    return error.message
  }

  t.test('VC 1.1 JWT verifies and parses', async (t) => {
    const raw = await issuer.sign(vc11(issuer.did))
    const credential = await verifyJwtCredential(resolver, raw, check)
    t.equal(credential.profile, 'vc11-sl2021/jwt')
    t.same(credential.types, ['VerifiableCredential', 'MembershipCredential'])
    t.equal(credential.issuer, issuer.did)
    t.equal(credential.subjectId, holderDid)
    t.equal(credential.raw, raw)
    t.type(credential.validUntil, Date)
  })

  t.test('VC 2.0 JOSE credential verifies', async (t) => {
    const now = Date.now()
    const raw = await issuer.sign(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: `urn:uuid:${randomUUID()}`,
        type: ['VerifiableCredential', 'BpnCredential'],
        issuer: issuer.did,
        validFrom: new Date(now - 5000).toISOString(),
        validUntil: new Date(now + 600_000).toISOString(),
        credentialSubject: { id: holderDid, bpn: 'BPNL000000000001' },
      },
      { typ: 'vc+jwt' },
    )
    const credential = await verifyJwtCredential(resolver, raw, check)
    t.equal(credential.profile, 'vc20-bssl/jwt')
    t.same(credential.types, ['VerifiableCredential', 'BpnCredential'])
  })

  t.test('refusals name the reason', async (t) => {
    t.equal(await refusal('not-a-jwt'), 'the credential is not a compact JWS with JSON header and claims')
    t.equal(
      await refusal(await issuer.sign(vc11(issuer.did, { vc: { credentialSubject: { id: 'did:web:other' } }, claims: { sub: undefined } }))),
      'the credential is issued to "did:web:other", not to "did:web:holder.example"',
    )
    t.equal(
      await refusal(await issuer.sign(vc11(issuer.did, { vc: { expirationDate: '2020-01-01T00:00:00Z' } }))),
      'the credential expired at 2020-01-01T00:00:00.000Z',
    )
    t.equal(
      await refusal(await issuer.sign(vc11(issuer.did, { vc: { issuanceDate: '2999-01-01T00:00:00Z' } }))),
      'the credential is not valid before 2999-01-01T00:00:00.000Z',
    )
    t.equal(
      await refusal(await stranger.sign(vc11(issuer.did), { kid: issuer.kid })),
      'the signature of the credential does not verify with the key of "did:web:issuer.example"',
    )
    t.match(
      await refusal(await stranger.sign(vc11(issuer.did))),
      /^the key of issuer "did:web:issuer.example" is not usable: /,
      'a key of another DID cannot sign for the issuer',
    )
    t.equal(
      await refusal(await issuer.sign(vc11(issuer.did, { vc: { type: ['MembershipCredential'] } }))),
      'the credential "type" does not contain "VerifiableCredential"',
    )
  })

  t.test('key outside assertionMethod is refused', async (t) => {
    const party = await createTestParty('did:web:noassert.example')
    party.document.assertionMethod = []
    const localResolver = new DidResolver({ config: loadConfig({}).did, localDocuments: documentsOf(party) })
    const error = await verifyJwtCredential(localResolver, await party.sign(vc11(party.did)), check).catch((e: AppError) => e)
    t.match((error as AppError).message, /is not usable: /)
  })
})
