import { createPublicKey, verify } from 'node:crypto'
import { DescribeKeyCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms'
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose'
import t from 'tap'
import { AppError } from '../../src/errors/app-error.js'
import { signJwt } from '../../src/keys/sign-jwt.js'
import { parseJwtCredential } from '../../src/credentials/parsed-credential.js'
import { HolderSnapshots } from '../../src/holder/holder-snapshots.js'
import { PresentationService } from '../../src/holder/presentation-service.js'
import { createLogger } from '../../src/observability/logger.js'
import { insertCredential } from '../../src/storage/credential-repository.js'
import { SecureTokenService } from '../../src/sts/sts-service.js'
import { mintAccessToken } from '../../src/tokens/access-token.js'
import { AccessTokenKeys } from '../../src/tokens/access-token-keys.js'
import { createTestDatabase } from '../helpers/databases.js'
import {
  addParticipant,
  createEnvelopeKey,
  kmsEnvironment,
  kmsTestEndpoint,
  openTestKeyStore,
  recordKmsCalls,
  rejectionOf,
  testKmsClient,
} from '../helpers/keys.js'
import { createTestParty } from '../helpers/test-party.js'

// These tests run against a KMS emulator (moto server mode, see .ci/start-kms.sh) through the
// real AWS SDK. Storage runs on the embedded database; the storage tests cover PostgreSQL.
const kms = kmsTestEndpoint()
const options = { skip: kms.skip }
const endpoint = kms.endpoint ?? ''

t.test('aws-kms ES256 key is tagged and aliased', options, async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const { keyManager } = await openTestKeyStore(t, db, kmsEnvironment(endpoint))
  await addParticipant(db, 'acme')
  const key = await keyManager.create('acme', { usages: ['sign_token', 'sign_credentials'], custody: 'aws-kms' })
  t.match(key, { custody: 'aws-kms', algorithm: 'ES256', publicJwk: { kty: 'EC', crv: 'P-256' } })

  const client = testKmsClient(t, endpoint)
  const alias = `alias/dcp-identity/dcp-identity-test/acme/${key.fragment}`
  const described = await client.send(new DescribeKeyCommand({ KeyId: alias }))
  t.match(described.KeyMetadata, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', KeyState: 'Enabled' })

  const tags = await client.send(new ListResourceTagsCommand({ KeyId: described.KeyMetadata!.KeyId! }))
  const byKey = Object.fromEntries((tags.Tags ?? []).map((tag) => [tag.TagKey, tag.TagValue]))
  t.same(byKey, {
    'dcp-identity:instance': 'dcp-identity-test',
    'dcp-identity:participant': 'acme',
    'dcp-identity:key': key.id,
    'dcp-identity:usage': 'sign_token sign_credentials',
  })
})

t.test('aws-kms signatures verify over thousands of signatures', options, async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const { keyManager } = await openTestKeyStore(t, db, kmsEnvironment(endpoint))
  const participant = await addParticipant(db, 'acme')
  const key = await keyManager.create('acme', { usages: ['sign_token'], custody: 'aws-kms' })
  const publicKey = createPublicKey({ key: key.publicJwk as never, format: 'jwk' })

  let shortValues = 0
  let failures = 0
  for (let i = 0; i < 3000; i += 1) {
    const input = new TextEncoder().encode(`header.payload-${i}`)
    const signature = await keyManager.sign(key, input)
    if (signature[0] === 0 || signature[32] === 0) shortValues += 1
    if (!verify('sha256', input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)) failures += 1
  }
  t.equal(failures, 0, 'every KMS signature verifies as r || s')
  // About 1 in 128 signatures has an r or s below 2^248; none in 3000 has probability below 1e-10.
  t.ok(shortValues > 0, `short r or s occurred (${shortValues} times)`)

  const jwt = await signJwt(keyManager, participant.did, 'sign_token', { typ: 'JWT' }, { sub: participant.did })
  const verified = await jwtVerify(jwt, await importJWK(key.publicJwk, 'ES256'))
  t.equal(verified.protectedHeader.kid, `${participant.did}#${key.fragment}`)
})

t.test('aws-kms STS token with an access token takes one KMS call', options, async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const store = await openTestKeyStore(t, db, kmsEnvironment(endpoint))
  const participant = await addParticipant(db, 'acme')
  const key = await store.keyManager.create('acme', { usages: ['sign_token'], custody: 'aws-kms' })
  const sts = new SecureTokenService({
    db,
    keyManager: store.keyManager,
    accessTokenKeys: new AccessTokenKeys({ db, ttlSeconds: 60 }),
    tokens: { clockLeewaySeconds: 5, selfIssuedTokenTtlSeconds: 300, accessTokenTtlSeconds: 300, presentationTtlSeconds: 300 },
  })
  const client = { participantId: 'acme', clientId: participant.did, participantDid: participant.did, participantState: 'active' as const, secretHash: Buffer.alloc(32), createdAt: new Date(), rotatedAt: null }
  const request = { audience: 'did:web:verifier.example', bearerAccessScope: 'org.eclipse.tractusx.vc.type:MembershipCredential:read' }
  await sts.issueFor(client, request)

  const calls = recordKmsCalls(store.kmsClient!)
  const { access_token: token } = await sts.issueFor(client, request)
  t.same(calls.map((call) => call.command), ['SignCommand'], 'the SI token is signed in KMS and the access token only MACed')
  const verified = await jwtVerify(token, await importJWK(key.publicJwk, 'ES256'), { audience: request.audience })
  t.equal(decodeProtectedHeader(verified.payload.token as string).alg, 'HS256')
})

t.test('aws-kms presentation of three credentials takes one KMS call', options, async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const store = await openTestKeyStore(t, db, kmsEnvironment(endpoint))
  const holder = await addParticipant(db, 'acme')
  const key = await store.keyManager.create('acme', { usages: ['sign_token', 'sign_presentation'], custody: 'aws-kms' })
  const issuer = await createTestParty('did:web:issuer.example')
  const types = ['MembershipCredential', 'BpnCredential', 'DataExchangeGovernanceCredential']
  const now = Math.floor(Date.now() / 1000)
  for (const type of types) {
    const raw = await issuer.sign({ iss: issuer.did, sub: holder.did, nbf: now - 60, exp: now + 3600, vc: { type: ['VerifiableCredential', type], issuer: issuer.did, credentialSubject: { id: holder.did } } })
    await insertCredential(db, { participantId: 'acme', credential: parseJwtCredential(raw) })
  }
  const snapshots = new HolderSnapshots(db, createLogger('silent'))
  await snapshots.start()
  t.teardown(() => snapshots.stop())
  const accessTokenKeys = new AccessTokenKeys({ db, ttlSeconds: 60 })
  const presentations = new PresentationService({ snapshots, keyManager: store.keyManager, accessTokenKeys, leewaySeconds: 5, presentationTtlSeconds: 300 })
  const verifierDid = 'did:web:verifier.example'
  const scopes = types.map((type) => `org.eclipse.tractusx.vc.type:${type}:read`)
  const query = async () => {
    const accessToken = await mintAccessToken(accessTokenKeys, 'acme', { holderDid: holder.did, verifierDid, scopes }, { ttlSeconds: 300, nowSeconds: now })
    const caller = { issuer: verifierDid, accessToken, payload: {} }
    return presentations.answer(holder, caller, { '@context': ['https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'], type: 'PresentationQueryMessage', scope: scopes })
  }
  await query()

  const calls = recordKmsCalls(store.kmsClient!)
  const outcome = await query()
  t.same(calls.map((call) => call.command), ['SignCommand'], 'one signature for the one presentation')
  const vp = outcome.response.presentation[0] as string
  const verified = await jwtVerify(vp, await importJWK(key.publicJwk, 'ES256'), { audience: verifierDid })
  t.equal((verified.payload.vp as { verifiableCredential: string[] }).verifiableCredential.length, 3)
})

t.test('aws-kms signs large inputs as a digest', options, async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const store = await openTestKeyStore(t, db, kmsEnvironment(endpoint))
  await addParticipant(db, 'acme')
  const key = await store.keyManager.create('acme', { usages: ['sign_presentation'], custody: 'aws-kms' })
  const calls = recordKmsCalls(store.kmsClient!)

  await store.keyManager.sign(key, new Uint8Array(4096))
  await store.keyManager.sign(key, new Uint8Array(5000))
  const signs = calls.filter((call) => call.command === 'SignCommand')
  t.equal(signs.length, 2)
  t.match(signs[0]!.input, { MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' })
  t.equal((signs[0]!.input.Message as Uint8Array).length, 4096)
  t.match(signs[1]!.input, { MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' })
  t.equal((signs[1]!.input.Message as Uint8Array).length, 32)
  // NOTE: moto 5.2.5 hashes a DIGEST message again, so only the request form is checked here.
})

t.test('aws-kms revocation schedules deletion', options, async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const store = await openTestKeyStore(t, db, kmsEnvironment(endpoint, { KMS_DELETION_WINDOW_DAYS: '7' }))
  await addParticipant(db, 'acme')
  const key = await store.keyManager.create('acme', { usages: ['sign_token'], custody: 'aws-kms' })
  const arn = (await db.query<{ kms_key_id: string }>('SELECT kms_key_id FROM participant_keys WHERE id = $1', [key.id]))
    .rows[0]!.kms_key_id
  const calls = recordKmsCalls(store.kmsClient!)

  const revoked = await store.keyManager.revoke('acme', key.id)
  t.equal(revoked.state, 'revoked', 'revocation does not depend on KMS')
  const scheduled = calls.find((call) => call.command === 'ScheduleKeyDeletionCommand')
  t.same(scheduled?.input, { KeyId: arn, PendingWindowInDays: 7 })

  // NOTE: moto 5.2.5 answers ScheduleKeyDeletion by key ARN with HTTP 500 (a KeyError in its
  // backend), although KMS accepts a key id or ARN; so the key state cannot be checked here.
  t.todo('KMS key is pending deletion', async (t) => {
    const described = await testKmsClient(t, endpoint).send(new DescribeKeyCommand({ KeyId: arn }))
    t.equal(described.KeyMetadata?.KeyState, 'PendingDeletion')
  })
})

t.test('aws-kms EdDSA request form', options, async (t) => {
  // NOTE: moto 5.2.5 and local-kms have no ECC_NIST_EDWARDS25519 key spec, so this checks the
  // request the service sends and how the emulator's rejection is reported.
  const db = await createTestDatabase(t, 'embedded')
  const store = await openTestKeyStore(t, db, kmsEnvironment(endpoint))
  await addParticipant(db, 'acme')
  const calls = recordKmsCalls(store.kmsClient!)

  const error = await rejectionOf(store.keyManager.create('acme', { usages: ['sign_token'], algorithm: 'EdDSA', custody: 'aws-kms' }))
  t.type(error, AppError)
  t.equal((error as AppError).code, 'ERR_KMS_REQUEST_FAILED')
  t.match((error as AppError).message, /^KMS CreateKey was rejected \(ValidationException: /)
  t.match(calls[0], { command: 'CreateKeyCommand', input: { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' } })
  t.same(await store.keyManager.list('acme', { includeRevoked: true }), [])
})

for (const algorithm of ['ES256', 'EdDSA'] as const) {
  t.test(`kms-envelope ${algorithm} signs without KMS calls`, options, async (t) => {
    const client = testKmsClient(t, endpoint)
    const envelopeKeyId = await createEnvelopeKey(client)
    const env = kmsEnvironment(endpoint, { KMS_ENVELOPE_KEY_ID: envelopeKeyId, KEY_CUSTODY: 'kms-envelope' })
    const db = await createTestDatabase(t, 'embedded')
    const first = await openTestKeyStore(t, db, env)
    await addParticipant(db, 'acme')
    const firstCalls = recordKmsCalls(first.kmsClient!)

    const key = await first.keyManager.create('acme', { usages: ['sign_token'], algorithm })
    t.equal(key.custody, 'kms-envelope')
    t.same(firstCalls.map((call) => call.command), ['EncryptCommand'])
    t.same(firstCalls[0]!.input.EncryptionContext, { 'dcp-identity:participant': 'acme', 'dcp-identity:key': key.id })

    const publicKey = createPublicKey({ key: key.publicJwk as never, format: 'jwk' })
    const input = new TextEncoder().encode('header.payload')
    for (let i = 0; i < 50; i += 1) {
      const signature = await first.keyManager.sign(key, input)
      const valid =
        algorithm === 'ES256'
          ? verify('sha256', input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)
          : verify(null, input, publicKey, signature)
      if (!valid) t.fail(`signature ${i} does not verify`)
    }
    t.equal(firstCalls.length, 1, 'no KMS call per signature')

    // A second process decrypts the key once, then signs from memory.
    const second = await openTestKeyStore(t, db, env)
    const secondCalls = recordKmsCalls(second.kmsClient!)
    for (let i = 0; i < 5; i += 1) await second.keyManager.sign(key, input)
    t.same(secondCalls.map((call) => call.command), ['DecryptCommand'])
  })
}

t.test('kms-envelope ciphertext is bound to its key row', options, async (t) => {
  const client = testKmsClient(t, endpoint)
  const env = kmsEnvironment(endpoint, { KMS_ENVELOPE_KEY_ID: await createEnvelopeKey(client) })
  const db = await createTestDatabase(t, 'embedded')
  const first = await openTestKeyStore(t, db, env)
  await addParticipant(db, 'acme')
  const a = await first.keyManager.create('acme', { usages: ['sign_token'], custody: 'kms-envelope' })
  const b = await first.keyManager.create('acme', { usages: ['sign_token'], custody: 'kms-envelope' })
  await db.query(
    `UPDATE participant_keys SET private_key_ciphertext = (SELECT private_key_ciphertext FROM participant_keys WHERE id = $1)
     WHERE id = $2`,
    [a.id, b.id],
  )
  const second = await openTestKeyStore(t, db, env)
  const error = await rejectionOf(second.keyManager.sign(b, new Uint8Array(8)))
  t.equal((error as AppError).code, 'ERR_KMS_REQUEST_FAILED')
  t.match((error as AppError).message, /^KMS Decrypt was rejected \(InvalidCiphertextException/)
})

t.test('readiness check calls KMS', options, async (t) => {
  const client = testKmsClient(t, endpoint)
  const db = await createTestDatabase(t, 'embedded')

  const plain = await openTestKeyStore(t, db, kmsEnvironment(endpoint))
  const plainCalls = recordKmsCalls(plain.kmsClient!)
  await plain.check()
  t.same(plainCalls.map((call) => call.command), ['ListKeysCommand'])

  const envelope = await openTestKeyStore(t, db, kmsEnvironment(endpoint, { KMS_ENVELOPE_KEY_ID: await createEnvelopeKey(client) }))
  const envelopeCalls = recordKmsCalls(envelope.kmsClient!)
  await envelope.check()
  t.same(envelopeCalls.map((call) => call.command), ['DescribeKeyCommand'])

  const missing = await openTestKeyStore(t, db, kmsEnvironment(endpoint, { KMS_ENVELOPE_KEY_ID: 'alias/does-not-exist' }))
  const error = await rejectionOf(missing.check())
  t.equal((error as AppError).code, 'ERR_KMS_REQUEST_FAILED')
  t.match((error as AppError).message, /^KMS DescribeKey was rejected \(NotFoundException/)
})
