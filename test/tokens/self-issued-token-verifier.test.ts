import t from 'tap'
import { loadConfig } from '../../src/config/config.js'
import { DidResolver } from '../../src/did/resolver.js'
import { AppError } from '../../src/errors/app-error.js'
import { migrate } from '../../src/storage/migrate.js'
import { insertParticipant } from '../../src/storage/participant-repository.js'
import { SelfIssuedTokenVerifier } from '../../src/tokens/self-issued-token-verifier.js'
import { createTestDatabase } from '../helpers/databases.js'
import { createTestParty, documentsOf, selfIssuedClaims } from '../helpers/test-party.js'

t.test('Self-Issued ID token rules', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  await migrate(db)
  const holderDid = 'did:web:holder.example'
  await insertParticipant(db, { id: 'holder', did: holderDid, displayName: 'H', roles: ['holder'] })
  const receiver = { participantId: 'holder', did: holderDid }

  const verifier = await createTestParty('did:web:verifier.example')
  const thirdParty = await createTestParty('did:web:third.example')
  const resolver = new DidResolver({ config: loadConfig({}).did, localDocuments: documentsOf(verifier, thirdParty) })
  const siVerifier = new SelfIssuedTokenVerifier({ resolver, db, leewaySeconds: 5 })
  const now = Math.floor(Date.now() / 1000)

  async function refusal(token: string): Promise<AppError> {
    const error = await siVerifier.verify(token, receiver).then(() => undefined, (e: unknown) => e)
    if (!(error instanceof AppError)) throw new Error(`expected a refusal, got ${String(error)}`)
    return error
  }

  t.test('valid token passes and carries the access token unparsed', async (t) => {
    const token = await verifier.sign(selfIssuedClaims(verifier.did, holderDid, { token: 'opaque.rs256.token' }))
    const verified = await siVerifier.verify(token, receiver)
    t.equal(verified.issuer, verifier.did)
    t.equal(verified.accessToken, 'opaque.rs256.token')
  })

  t.test('audience as an array is accepted', async (t) => {
    const token = await verifier.sign(selfIssuedClaims(verifier.did, holderDid, { aud: ['did:web:other', holderDid] }))
    t.equal((await siVerifier.verify(token, receiver)).issuer, verifier.did)
  })

  const cases: Array<[string, () => Promise<string>, string, string]> = [
    ['not a JWT', async () => 'abc.def', 'ERR_TOKEN_MALFORMED', 'the Self-Issued ID token is not a compact JWS with JSON header and claims'],
    [
      'HMAC algorithm',
      async () => {
        const [, payload] = (await verifier.sign(selfIssuedClaims(verifier.did, holderDid))).split('.')
        return `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${payload}.sig`
      },
      'ERR_TOKEN_ALGORITHM_UNSUPPORTED',
      'the Self-Issued ID token is signed with unsupported "alg" "HS256"',
    ],
    [
      'iss differs from sub',
      () => verifier.sign(selfIssuedClaims(verifier.did, holderDid, { sub: thirdParty.did })),
      'ERR_TOKEN_SUBJECT_MISMATCH',
      `the Self-Issued ID token has "iss" "${'did:web:verifier.example'}" but "sub" "did:web:third.example"`,
    ],
    [
      'wrong audience',
      () => verifier.sign(selfIssuedClaims(verifier.did, verifier.did)),
      'ERR_TOKEN_AUDIENCE_MISMATCH',
      'the Self-Issued ID token is not addressed to "did:web:holder.example"',
    ],
    [
      'missing aud',
      () => verifier.sign(selfIssuedClaims(verifier.did, holderDid, { aud: undefined })),
      'ERR_TOKEN_CLAIM_MISSING',
      'the Self-Issued ID token has no "aud" claim',
    ],
    [
      'expired',
      () => verifier.sign(selfIssuedClaims(verifier.did, holderDid, { exp: now - 3600 })),
      'ERR_TOKEN_EXPIRED',
      `the Self-Issued ID token expired at ${new Date((now - 3600) * 1000).toISOString()}`,
    ],
    [
      'iat in the future',
      () => verifier.sign(selfIssuedClaims(verifier.did, holderDid, { iat: now + 60 })),
      'ERR_TOKEN_NOT_YET_VALID',
      `the Self-Issued ID token is issued in the future ("iat" ${new Date((now + 60) * 1000).toISOString()})`,
    ],
    [
      'nbf in the future',
      () => verifier.sign(selfIssuedClaims(verifier.did, holderDid, { nbf: now + 11 * 86_400 })),
      'ERR_TOKEN_NOT_YET_VALID',
      `the Self-Issued ID token is not valid before ${new Date((now + 11 * 86_400) * 1000).toISOString()}`,
    ],
    [
      'missing iat',
      () => verifier.sign(selfIssuedClaims(verifier.did, holderDid, { iat: undefined })),
      'ERR_TOKEN_CLAIM_MISSING',
      'the Self-Issued ID token has no numeric "iat" claim',
    ],
    [
      'missing exp',
      () => verifier.sign(selfIssuedClaims(verifier.did, holderDid, { exp: undefined })),
      'ERR_TOKEN_CLAIM_MISSING',
      'the Self-Issued ID token has no numeric "exp" claim',
    ],
    [
      'missing jti',
      () => verifier.sign(selfIssuedClaims(verifier.did, holderDid, { jti: undefined })),
      'ERR_TOKEN_CLAIM_MISSING',
      'the Self-Issued ID token has no "jti" claim',
    ],
    [
      'token claim not a string',
      () => verifier.sign(selfIssuedClaims(verifier.did, holderDid, { token: { a: 1 } })),
      'ERR_TOKEN_MALFORMED',
      'the Self-Issued ID token has a "token" claim that is not a string',
    ],
    [
      'signed with another key under the same kid',
      () => thirdParty.sign(selfIssuedClaims(verifier.did, holderDid), { kid: verifier.kid }),
      'ERR_TOKEN_SIGNATURE_INVALID',
      'the signature of the Self-Issued ID token does not verify',
    ],
    [
      "kid of another party's DID",
      () => verifier.sign(selfIssuedClaims(thirdParty.did, holderDid), { kid: verifier.kid }),
      'ERR_DID_KEY_NOT_FOUND',
      '',
    ],
    [
      'unknown DID',
      async () => {
        const stranger = await createTestParty('did:web:localhost%3A1:stranger')
        return stranger.sign(selfIssuedClaims(stranger.did, holderDid))
      },
      'ERR_DID_ADDRESS_REFUSED',
      '',
    ],
  ]

  for (const [name, makeToken, code, message] of cases) {
    t.test(`refuses ${name}`, async (t) => {
      const error = await refusal(await makeToken())
      t.equal(error.code, code)
      t.equal(error.statusCode, 401)
      if (message !== '') t.equal(error.message, message)
    })
  }

  t.test('key outside capabilityInvocation is refused', async (t) => {
    const party = await createTestParty('did:web:nocap.example')
    party.document.capabilityInvocation = []
    const localResolver = new DidResolver({ config: loadConfig({}).did, localDocuments: documentsOf(party) })
    const strict = new SelfIssuedTokenVerifier({ resolver: localResolver, db, leewaySeconds: 5 })
    const error = await strict.verify(await party.sign(selfIssuedClaims(party.did, holderDid)), receiver).catch((e: AppError) => e)
    t.equal((error as AppError).code, 'ERR_DID_KEY_RELATIONSHIP')
  })

  t.test('replayed jti is refused, and a refused token keeps its jti unused', async (t) => {
    const claims = selfIssuedClaims(verifier.did, holderDid)
    const wrongAudience = await verifier.sign({ ...claims, aud: 'did:web:elsewhere' })
    t.equal((await refusal(wrongAudience)).code, 'ERR_TOKEN_AUDIENCE_MISMATCH')
    const token = await verifier.sign(claims)
    t.equal((await siVerifier.verify(token, receiver)).issuer, verifier.did)
    const replay = await refusal(token)
    t.equal(replay.code, 'ERR_TOKEN_REPLAYED')
    t.equal(replay.message, `the Self-Issued ID token with "jti" "${claims.jti}" was already used`)
  })

  t.test('leeway tolerates small skew', async (t) => {
    const token = await verifier.sign(selfIssuedClaims(verifier.did, holderDid, { iat: now + 3, nbf: now + 3, exp: now - 2 }))
    t.equal((await siVerifier.verify(token, receiver)).issuer, verifier.did)
  })
})
