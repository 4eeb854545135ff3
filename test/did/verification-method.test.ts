import t from 'tap'
import type { DIDDocument, VerificationMethod } from 'did-resolver'
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose'
import { DidResolver } from '../../src/did/resolver.js'
import { resolveVerificationKey } from '../../src/did/verification-key.js'
import {
  checkRelationship,
  findVerificationMethod,
  importVerificationKey,
  purposeOf,
  selectVerificationMethod,
} from '../../src/did/verification-method.js'
import { thrownBy, rejectionOf } from '../helpers/errors.js'

const did = 'did:web:holder.example.com:companyx'
const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
const publicJwk = await exportJWK(publicKey)
const privateJwk = await exportJWK(privateKey)

function method(id: string, jwk: JWK = publicJwk): VerificationMethod {
  return { id, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { ...jwk } as VerificationMethod['publicKeyJwk'] }
}

/**
 * Builds a document that mixes every form: key-1 listed with an absolute id and referenced relatively,
 * key-2 listed with a relative id and referenced absolutely, key-3 embedded in a relationship.
 */
function document(): DIDDocument {
  return {
    id: did,
    verificationMethod: [method(`${did}#key-1`), method('#key-2')],
    capabilityInvocation: ['#key-1'],
    authentication: [`${did}#key-2`],
    assertionMethod: [method('#key-3')],
  }
}

function singleKeyDocument(relationships: Partial<DIDDocument> = {}): DIDDocument {
  return { id: did, verificationMethod: [method(`${did}#key-1`)], ...relationships }
}

const lookups: Array<[string, string]> = [
  [`${did}#key-1`, `${did}#key-1`],
  ['#key-1', `${did}#key-1`],
  [`${did}#key-2`, '#key-2'],
  ['#key-2', '#key-2'],
  [`${did}#key-3`, '#key-3'],
  ['#key-3', '#key-3'],
]

for (const [kid, id] of lookups) {
  t.test(`kid ${kid} finds ${id}`, async (t) => {
    t.equal(findVerificationMethod(document(), kid).id, id)
  })
}

const missing: Array<[string, string, string]> = [
  [`${did}#key-9`, 'ERR_DID_KEY_NOT_FOUND', `DID document of "${did}" has no verification method "${did}#key-9"`],
  ['#key-9', 'ERR_DID_KEY_NOT_FOUND', `DID document of "${did}" has no verification method "#key-9"`],
  [
    'did:web:other.example#key-1',
    'ERR_DID_KEY_NOT_FOUND',
    `"kid" "did:web:other.example#key-1" is not a key of "${did}"`,
  ],
  [`${did}`, 'ERR_DID_KEY_NOT_FOUND', `"kid" "${did}" is neither a DID URL with a fragment nor a fragment`],
  ['key-1', 'ERR_DID_KEY_NOT_FOUND', '"kid" "key-1" is neither a DID URL with a fragment nor a fragment'],
]

for (const [kid, code, message] of missing) {
  t.test(`kid ${kid} rejected`, async (t) => {
    const error = thrownBy(() => findVerificationMethod(document(), kid))
    t.equal(error.code, code)
    t.equal(error.message, message)
  })
}

t.test('no kid with one method uses it', async (t) => {
  t.equal(findVerificationMethod(singleKeyDocument(), undefined).id, `${did}#key-1`)
  const embeddedOnly: DIDDocument = { id: did, capabilityInvocation: [method('#only')] }
  t.equal(findVerificationMethod(embeddedOnly, undefined).id, '#only')
  const listedAndReferenced = singleKeyDocument({ authentication: [method(`${did}#key-1`)] })
  t.equal(findVerificationMethod(listedAndReferenced, undefined).id, `${did}#key-1`, 'one method counted once')
})

t.test('no kid with several methods rejected', async (t) => {
  const error = thrownBy(() => findVerificationMethod(document(), undefined))
  t.equal(error.code, 'ERR_DID_KEY_AMBIGUOUS')
  t.equal(error.message, `"kid" is missing and the DID document of "${did}" has 3 verification methods`)
})

t.test('no kid with no method rejected', async (t) => {
  const error = thrownBy(() => findVerificationMethod({ id: did }, undefined))
  t.equal(error.code, 'ERR_DID_KEY_NOT_FOUND')
  t.equal(error.message, `DID document of "${did}" has no verification method`)
})

const relationships: Array<[string, keyof typeof purposeOf, boolean]> = [
  [`${did}#key-1`, 'siToken', true],
  [`${did}#key-1`, 'presentation', false],
  [`${did}#key-1`, 'credential', false],
  ['#key-2', 'presentation', true],
  ['#key-2', 'siToken', false],
  ['#key-3', 'credential', true],
  ['#key-3', 'siToken', false],
]

for (const [kid, use, allowed] of relationships) {
  const purpose = purposeOf[use]
  t.test(`${kid} ${allowed ? 'accepted' : 'rejected'} for ${purpose}`, async (t) => {
    if (allowed) {
      t.equal(selectVerificationMethod(document(), kid, purpose).id, findVerificationMethod(document(), kid).id)
      return
    }
    const error = thrownBy(() => selectVerificationMethod(document(), kid, purpose))
    t.equal(error.code, 'ERR_DID_KEY_RELATIONSHIP')
    const id = findVerificationMethod(document(), kid).id
    t.equal(error.message, `verification method "${id}" is not in "${purpose}" of "${did}"`)
  })
}

t.test('no kid and a single method outside the relationship rejected', async (t) => {
  const error = thrownBy(() =>
    selectVerificationMethod(singleKeyDocument({ authentication: ['#key-1'] }), undefined, 'capabilityInvocation'),
  )
  t.equal(error.code, 'ERR_DID_KEY_RELATIONSHIP')
  t.equal(error.message, `verification method "${did}#key-1" is not in "capabilityInvocation" of "${did}"`)
})

t.test('relationship without the list rejected', async (t) => {
  const document = singleKeyDocument()
  const error = thrownBy(() =>
    checkRelationship(document, findVerificationMethod(document, '#key-1'), 'assertionMethod'),
  )
  t.equal(error.code, 'ERR_DID_KEY_RELATIONSHIP')
  t.equal(error.message, `verification method "${did}#key-1" is not in "assertionMethod" of "${did}"`)
})

t.test('imported key verifies a signature', async (t) => {
  const key = importVerificationKey(method('#key-1'), 'ES256')
  const token = await new SignJWT({ sub: did }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey)
  const { payload } = await jwtVerify(token, key.key)
  t.equal(payload.sub, did)
  t.equal(key.key.type, 'public')
  t.equal(key.alg, 'ES256')
})

t.test('JWK with matching alg and use imported', async (t) => {
  const key = importVerificationKey(
    method('#key-1', { ...publicJwk, alg: 'ES256', use: 'sig', key_ops: ['verify'] }),
    'ES256',
  )
  t.equal(key.key.type, 'public')
})

const badKeys: Array<[string, VerificationMethod, string, string]> = [
  ['a private EC key', method('#k', privateJwk), 'ES256', 'carries private key parts'],
  ['a symmetric key', method('#k', { kty: 'oct', k: 'c2VjcmV0' }), 'HS256', 'carries private key parts'],
  ['an RSA private part', method('#k', { ...publicJwk, p: 'abc' }), 'ES256', 'carries private key parts'],
  [
    'no publicKeyJwk',
    { id: '#k', type: 'Multikey', controller: did, publicKeyMultibase: 'z6Mk' },
    'ES256',
    'is missing',
  ],
  ['an encryption key', method('#k', { ...publicJwk, use: 'enc' }), 'ES256', 'has "use" "enc"; expected "sig"'],
  [
    'key_ops without verify',
    method('#k', { ...publicJwk, key_ops: ['encrypt'] }),
    'ES256',
    'has "key_ops" without "verify"',
  ],
  ['another alg', method('#k', { ...publicJwk, alg: 'ES384' }), 'ES256', 'is for alg "ES384", not "ES256"'],
  [
    'an alg the key cannot serve',
    method('#k'),
    'RS256',
    'cannot be imported for "RS256" (a key of type "ec" cannot verify RS256)',
  ],
  [
    'a broken key',
    method('#k', { kty: 'EC', crv: 'P-256', x: 'abc', y: 'def' }),
    'ES256',
    'cannot be imported for "ES256" (the JWK is not a valid public key: Invalid JWK EC key)',
  ],
]

for (const [name, verificationMethod, alg, reason] of badKeys) {
  t.test(`${name} rejected`, async (t) => {
    const error = thrownBy(() => importVerificationKey(verificationMethod, alg))
    t.equal(error.code, 'ERR_DID_KEY_INVALID')
    t.equal(error.message, `publicKeyJwk of verification method "#k" ${reason}`)
  })
}

t.test('verification key resolved for an SI token', async (t) => {
  const resolver = new DidResolver({
    config: {
      httpHosts: [],
      maxRedirects: 3,
      resolveTimeoutMs: 1000,
      documentMaxBytes: 65536,
      cacheTtlSeconds: 300,
      cacheNegativeTtlSeconds: 30,
      cacheMaxBytes: 65536,
      allowMissingContentType: false,
      keyRelationships: 'strict',
    },
    localDocuments: async (requested) => (requested === did ? document() : undefined),
  })
  const resolved = await resolveVerificationKey(resolver, {
    did,
    kid: `${did}#key-1`,
    alg: 'ES256',
    purpose: purposeOf.siToken,
  })
  t.equal(resolved.method.id, `${did}#key-1`)
  t.equal(resolved.document.id, did)
  t.equal(resolved.key.key.type, 'public')

  const wrongUse = await rejectionOf(
    resolveVerificationKey(resolver, { did, kid: '#key-2', alg: 'ES256', purpose: purposeOf.siToken }),
  )
  t.equal(wrongUse.code, 'ERR_DID_KEY_RELATIONSHIP')
  t.equal(wrongUse.message, `verification method "#key-2" is not in "capabilityInvocation" of "${did}"`)

  const foreignKid = await rejectionOf(
    resolveVerificationKey(resolver, {
      did,
      kid: 'did:web:attacker.example#key-1',
      alg: 'ES256',
      purpose: 'capabilityInvocation',
    }),
  )
  t.equal(foreignKid.code, 'ERR_DID_KEY_NOT_FOUND')
  t.equal(foreignKid.message, `"kid" "did:web:attacker.example#key-1" is not a key of "${did}"`)
})

/** Builds a document as DCP 0.8 peers and the DCP TCK 1.0.0-RC6 publish it, with key-1 in no relationship. */
function unrelatedKeyDocument(relationships: Partial<DIDDocument> = {}): DIDDocument {
  return singleKeyDocument(relationships)
}

for (const use of ['siToken', 'presentation', 'credential'] as const) {
  const purpose = purposeOf[use]

  t.test(`strict rejects unreferenced key for ${purpose}`, async (t) => {
    const error = thrownBy(() => selectVerificationMethod(unrelatedKeyDocument(), '#key-1', purpose, 'strict'))
    t.equal(error.code, 'ERR_DID_KEY_RELATIONSHIP')
    t.equal(error.message, `verification method "${did}#key-1" is not in "${purpose}" of "${did}"`)
  })

  t.test(`any-listed accepts listed key for ${purpose}`, async (t) => {
    t.equal(selectVerificationMethod(unrelatedKeyDocument(), '#key-1', purpose, 'any-listed').id, `${did}#key-1`)
    t.equal(selectVerificationMethod(unrelatedKeyDocument(), `${did}#key-1`, purpose, 'any-listed').id, `${did}#key-1`)
  })
}

t.test('strict is the default policy', async (t) => {
  const error = thrownBy(() => selectVerificationMethod(unrelatedKeyDocument(), '#key-1', 'capabilityInvocation'))
  t.equal(error.code, 'ERR_DID_KEY_RELATIONSHIP')
})

t.test('any-listed rejects kid not in document', async (t) => {
  for (const kid of ['#key-9', `${did}#key-9`]) {
    const error = thrownBy(() => selectVerificationMethod(unrelatedKeyDocument(), kid, 'capabilityInvocation', 'any-listed'))
    t.equal(error.code, 'ERR_DID_KEY_NOT_FOUND', kid)
    t.equal(error.message, `DID document of "${did}" has no verification method "${kid}"`)
  }
  const foreign = thrownBy(() =>
    selectVerificationMethod(unrelatedKeyDocument(), 'did:web:other.example#key-1', 'capabilityInvocation', 'any-listed'),
  )
  t.equal(foreign.code, 'ERR_DID_KEY_NOT_FOUND')
})

t.test('any-listed keeps a present relationship', async (t) => {
  const error = thrownBy(() => selectVerificationMethod(document(), '#key-2', 'capabilityInvocation', 'any-listed'))
  t.equal(error.code, 'ERR_DID_KEY_RELATIONSHIP', 'capabilityInvocation lists key-1 only')
  t.equal(error.message, `verification method "#key-2" is not in "capabilityInvocation" of "${did}"`)

  const empty = thrownBy(() =>
    selectVerificationMethod(unrelatedKeyDocument({ capabilityInvocation: [] }), '#key-1', 'capabilityInvocation', 'any-listed'),
  )
  t.equal(empty.code, 'ERR_DID_KEY_RELATIONSHIP', 'an empty list admits no method')
})

t.test('any-listed accepts when only other relationships exist', async (t) => {
  const document = unrelatedKeyDocument({ authentication: ['#key-1'] })
  t.equal(selectVerificationMethod(document, '#key-1', 'capabilityInvocation', 'any-listed').id, `${did}#key-1`)
})

t.test('any-listed needs the verificationMethod list', async (t) => {
  // key-3 is embedded in assertionMethod only, so it is not listed for other uses.
  const error = thrownBy(() => selectVerificationMethod(document(), '#key-3', 'capabilityInvocation', 'any-listed'))
  t.equal(error.code, 'ERR_DID_KEY_RELATIONSHIP')
  const withoutInvocation: DIDDocument = { ...document(), capabilityInvocation: undefined }
  const embedded = thrownBy(() => selectVerificationMethod(withoutInvocation, '#key-3', 'capabilityInvocation', 'any-listed'))
  t.equal(embedded.code, 'ERR_DID_KEY_RELATIONSHIP')
  t.equal(embedded.message, `verification method "#key-3" is not in "capabilityInvocation" of "${did}"`)
})

t.test('resolver policy applies to key lookups', async (t) => {
  const config = {
    httpHosts: [],
    maxRedirects: 3,
    resolveTimeoutMs: 1000,
    documentMaxBytes: 65536,
    cacheTtlSeconds: 300,
    cacheNegativeTtlSeconds: 30,
    cacheMaxBytes: 65536,
    allowMissingContentType: false,
  }
  const localDocuments = async (requested: string) => (requested === did ? unrelatedKeyDocument() : undefined)
  const request = { did, kid: `${did}#key-1`, alg: 'ES256', purpose: purposeOf.siToken }

  const lenient = new DidResolver({ config: { ...config, keyRelationships: 'any-listed' }, localDocuments })
  const resolved = await resolveVerificationKey(lenient, request)
  t.equal(resolved.method.id, `${did}#key-1`)
  const unknown = await rejectionOf(resolveVerificationKey(lenient, { ...request, kid: `${did}#key-2` }))
  t.equal(unknown.code, 'ERR_DID_KEY_NOT_FOUND')

  const strict = new DidResolver({ config: { ...config, keyRelationships: 'strict' }, localDocuments })
  const rejected = await rejectionOf(resolveVerificationKey(strict, request))
  t.equal(rejected.code, 'ERR_DID_KEY_RELATIONSHIP')
})
