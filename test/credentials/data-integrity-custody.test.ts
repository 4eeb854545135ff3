import t, { type Test } from 'tap'
import * as vc from '@digitalbazaar/vc'
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import { cryptosuite } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite'
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context'
import { contexts as didContexts } from 'did-context'
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context'
import { signCredential } from '../../src/credentials/data-integrity/data-integrity.js'
import { createDocumentLoader } from '../../src/credentials/data-integrity/document-loader.js'
import type { DidDocument } from '../../src/did/document.js'
import { AppError } from '../../src/errors/app-error.js'
import type { KeyAlgorithm, KeyCustody } from '../../src/keys/key.js'
import { createParticipant } from '../helpers/admin.js'
import { createTestDatabase } from '../helpers/databases.js'
import { createEnvelopeKey, kmsEnvironment, kmsTestCredentials, kmsTestEndpoint, testKmsClient } from '../helpers/keys.js'
import { adminRequest, startTestServer } from '../helpers/server.js'

// Every custody mode signs Data Integrity proofs through the KeyManager. @digitalbazaar/vc then
// verifies them against the served DID document, with contexts from their npm packages. KMS
// modes use the KMS emulator at KMS_TEST_ENDPOINT.
const kms = kmsTestEndpoint()
const did = 'did:web:localhost%3A8080:acme'

const packagedContexts = new Map<string, unknown>([
  ...(credentialsContexts as Map<string, unknown>),
  ...(didContexts as Map<string, unknown>),
  ...(dataIntegrityContexts as Map<string, unknown>),
])

async function startWithKey(t: Test, custody: KeyCustody, algorithm: KeyAlgorithm) {
  const env = kms.endpoint && custody !== 'local'
    ? kmsEnvironment(kms.endpoint, { KMS_ENVELOPE_KEY_ID: await createEnvelopeKey(testKmsClient(t, kms.endpoint)) })
    : {}
  const db = await createTestDatabase(t, 'embedded')
  const server = await startTestServer(t, { db, env, keyStore: { kmsClientOverrides: { credentials: kmsTestCredentials } } })
  await createParticipant(server.internalApp, { id: 'acme', did, roles: ['issuer'] })
  const created = await adminRequest(server.internalApp, 'POST', '/v1/participants/acme/keys', {
    body: { usages: ['sign_credentials'], algorithm, custody },
  })
  t.equal(created.statusCode, 201, created.body)
  return server
}

function unsignedCredential() {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: 'urn:uuid:6a1f3f2e-52a4-4a4e-9d52-0c1b9f3e2a11',
    type: ['VerifiableCredential'],
    issuer: did,
    validFrom: new Date(Date.now() - 5000).toISOString(),
    credentialSubject: { id: 'did:web:holder.example' },
  }
}

const matrix: Array<[KeyCustody, string | false]> = [
  ['local', false],
  ['kms-envelope', kms.skip],
  ['aws-kms', kms.skip],
]

for (const [custody, skip] of matrix) {
  t.test(`${custody} proof verifies independently`, { skip }, async (t) => {
    const server = await startWithKey(t, custody, 'ES256')
    const signed = await signCredential(unsignedCredential(), {
      keyManager: server.context.keyManager,
      did,
      usage: 'sign_credentials',
      documentLoader: createDocumentLoader(),
    })
    const proof = signed.proof as Record<string, string>
    t.equal(proof.cryptosuite, 'ecdsa-rdfc-2019')

    const document = (await server.publicApp.inject({ method: 'GET', url: '/acme/did.json' })).json() as DidDocument
    t.ok(document.assertionMethod.includes(proof.verificationMethod!), 'the proof names an assertionMethod key')
    const documentLoader = async (url: string) => {
      const context = packagedContexts.get(url)
      if (context !== undefined) return { contextUrl: null, documentUrl: url, document: context }
      if (url === did) return { contextUrl: null, documentUrl: url, document }
      const method = document.verificationMethod.find((entry) => entry.id === url)
      if (method === undefined) throw new Error(`unexpected document ${url}`)
      return { contextUrl: null, documentUrl: url, document: { '@context': document['@context'], ...method } }
    }
    const suite = new DataIntegrityProof({ cryptosuite })
    const result = await vc.verifyCredential({ credential: signed, suite, documentLoader })
    t.equal(result.verified, true, result.error?.message ?? 'verified')

    const changed = { ...signed, credentialSubject: { id: 'did:web:other.example' } }
    const tampered = await vc.verifyCredential({ credential: changed, suite, documentLoader })
    t.equal(tampered.verified, false, 'a changed subject fails')
  })
}

t.test('EdDSA key rejected for ecdsa-rdfc-2019', async (t) => {
  const server = await startWithKey(t, 'local', 'EdDSA')
  const error = await signCredential(unsignedCredential(), {
    keyManager: server.context.keyManager,
    did,
    usage: 'sign_credentials',
    documentLoader: createDocumentLoader(),
  }).catch((caught: unknown) => caught)
  t.ok(error instanceof AppError)
  t.equal((error as AppError).code, 'ERR_DATA_INTEGRITY_KEY_UNSUPPORTED')
})

t.test('document loader loads only bundled contexts', async (t) => {
  const loader = createDocumentLoader()
  const v2 = await loader('https://www.w3.org/ns/credentials/v2')
  t.same(v2.document, packagedContexts.get('https://www.w3.org/ns/credentials/v2'), 'the bundled copy equals the packaged one')

  const error = await loader('https://example.invalid/context/v1').catch((caught: unknown) => caught)
  t.equal((error as AppError).code, 'ERR_JSONLD_CONTEXT_UNKNOWN')
  t.match((error as AppError).message, /https:\/\/example\.invalid\/context\/v1/)

  const withoutResolver = await loader(`${did}#key-1`).catch((caught: unknown) => caught)
  t.equal((withoutResolver as AppError).code, 'ERR_JSONLD_CONTEXT_UNKNOWN')
})
