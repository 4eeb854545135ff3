import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose'
import t from 'tap'
import type { DidDocument } from '../../src/did/document.js'
import type { KeyAlgorithm, KeyCustody } from '../../src/keys/key.js'
import { signJwt } from '../../src/keys/sign-jwt.js'
import { createParticipant } from '../helpers/admin.js'
import { createTestDatabase } from '../helpers/databases.js'
import { createEnvelopeKey, kmsEnvironment, kmsTestCredentials, kmsTestEndpoint, testKmsClient } from '../helpers/keys.js'
import { adminRequest, startTestServer } from '../helpers/server.js'

// Every custody mode and algorithm signs a JWT that verifies with jose against the key the
// served DID document publishes. KMS modes use the emulator of .ci/start-kms.sh.
const kms = kmsTestEndpoint()

const matrix: Array<[KeyCustody, KeyAlgorithm, string | false]> = [
  ['local', 'ES256', false],
  ['local', 'EdDSA', false],
  ['kms-envelope', 'ES256', kms.skip],
  ['kms-envelope', 'EdDSA', kms.skip],
  ['aws-kms', 'ES256', kms.skip],
  // NOTE: no available KMS emulator supports ECC_NIST_EDWARDS25519 (moto 5.2.5, local-kms).
  ['aws-kms', 'EdDSA', 'the KMS emulator has no ECC_NIST_EDWARDS25519 keys'],
]

for (const [custody, algorithm, skip] of matrix) {
  t.test(`${custody} ${algorithm} verifies against the served document`, { skip }, async (t) => {
    const env = kms.endpoint
      ? kmsEnvironment(kms.endpoint, { KMS_ENVELOPE_KEY_ID: await createEnvelopeKey(testKmsClient(t, kms.endpoint)) })
      : {}
    const db = await createTestDatabase(t, 'embedded')
    const server = await startTestServer(t, { db, env, keyStore: { kmsClientOverrides: { credentials: kmsTestCredentials } } })
    const did = 'did:web:localhost%3A8080:acme'
    await createParticipant(server.internalApp, { id: 'acme', did })
    const created = await adminRequest(server.internalApp, 'POST', '/v1/participants/acme/keys', {
      body: { usages: ['sign_token', 'sign_presentation', 'sign_credentials'], algorithm, custody },
    })
    t.equal(created.statusCode, 201, created.body)

    const jwt = await signJwt(server.context.keyManager, did, 'sign_presentation', { typ: 'JWT' }, { iss: did, aud: 'did:web:verifier' })
    const document = (await server.publicApp.inject({ method: 'GET', url: '/acme/did.json' })).json() as DidDocument
    const { kid } = decodeProtectedHeader(jwt)
    const method = document.verificationMethod.find((entry) => entry.id === kid)
    t.ok(method, `the document publishes ${kid}`)

    const { payload, protectedHeader } = await jwtVerify(jwt, await importJWK(method!.publicKeyJwk as JWK, algorithm), {
      audience: 'did:web:verifier',
      issuer: did,
    })
    t.equal(protectedHeader.alg, algorithm)
    t.equal(payload.iss, did)
  })
}
