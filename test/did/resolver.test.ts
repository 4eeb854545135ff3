import { Writable } from 'node:stream'
import t from 'tap'
import type { DIDDocument } from 'did-resolver'
import type { DidConfig } from '../../src/config/did-variables.js'
import { DidResolver, type DidResolverOptions } from '../../src/did/resolver.js'
import { createLogger } from '../../src/observability/logger.js'
import { fakeLookup, json, spyOnConnect, startServer, type Handler } from '../helpers/did-servers.js'
import { rejectionOf } from '../helpers/errors.js'
import { selfSignedCertificate } from '../helpers/self-signed-certificate.js'

const certificate = selfSignedCertificate()

function config(overrides: Partial<DidConfig> = {}): DidConfig {
  return {
    httpHosts: [],
    maxRedirects: 3,
    resolveTimeoutMs: 2000,
    documentMaxBytes: 256 * 1024,
    cacheTtlSeconds: 300,
    cacheNegativeTtlSeconds: 30,
    cacheMaxBytes: 1024 * 1024,
    allowMissingContentType: false,
    keyRelationships: 'strict',
    ...overrides,
  }
}

/** Builds a resolver that trusts the test authority for https on localhost, which resolves to 127.0.0.1. */
function httpsResolver(overrides: Partial<DidResolverOptions> = {}): DidResolver {
  return new DidResolver({
    config: config(),
    allowedHosts: [{ hostname: 'localhost', scheme: 'https' }],
    lookup: fakeLookup({ localhost: ['127.0.0.1'] }),
    ca: certificate.cert,
    ...overrides,
  })
}

function didDocument(did: string): DIDDocument {
  return {
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: did,
    verificationMethod: [
      {
        id: `${did}#key-1`,
        type: 'JsonWebKey2020',
        controller: did,
        publicKeyJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
      },
    ],
    capabilityInvocation: [`${did}#key-1`],
  }
}

/** Serves the DID document of `did` at the path its did:web URL maps to. */
function documentsOf(pathToDid: (path: string) => string): Handler {
  return (request, response) => json(didDocument(pathToDid(request.url ?? '')))(request, response)
}

t.test('host DID resolved over https', async (t) => {
  const server = await startServer(
    t,
    documentsOf(() => did),
    certificate,
  )
  const did = `did:web:localhost%3A${server.port}`
  const result = await httpsResolver().resolve(did)
  t.same(result.didDocument, didDocument(did))
  t.same(result.didResolutionMetadata, { contentType: 'application/did+ld+json' })
  t.same(server.requests, ['/.well-known/did.json'])
})

t.test('path DID resolved over https', async (t) => {
  const server = await startServer(
    t,
    documentsOf(() => did),
    certificate,
  )
  const did = `did:web:localhost%3A${server.port}:companyx:holder`
  const document = await httpsResolver().resolveDocument(`${did}#key-1`)
  t.same(document, didDocument(did))
  t.same(server.requests, ['/companyx/holder/did.json'])
})

t.test('allow-listed host resolved over http', async (t) => {
  const server = await startServer(
    t,
    documentsOf(() => did),
  )
  const did = `did:web:localhost%3A${server.port}:companyx`
  const resolver = new DidResolver({
    config: config({ httpHosts: [{ hostname: 'localhost', port: server.port, scheme: 'http' }] }),
    lookup: fakeLookup({ localhost: ['127.0.0.1'] }),
  })
  t.same(await resolver.resolveDocument(did), didDocument(did))
  t.same(server.requests, ['/companyx/did.json'])
})

t.test('loopback host rejected unless allow-listed', async (t) => {
  const server = await startServer(
    t,
    documentsOf(() => did),
    certificate,
  )
  const did = `did:web:localhost%3A${server.port}`
  const connects = spyOnConnect(t)
  const resolver = new DidResolver({
    config: config(),
    lookup: fakeLookup({ localhost: ['127.0.0.1'] }),
    ca: certificate.cert,
  })

  const result = await resolver.resolve(did)
  const message =
    'host "localhost" resolves to a loopback address; only hosts on DID_WEB_HTTP_HOSTS may use such addresses'
  t.same(result, {
    didResolutionMetadata: { error: 'notFound', message, code: 'ERR_DID_ADDRESS_REFUSED' },
    didDocument: null,
    didDocumentMetadata: {},
  })
  const error = await rejectionOf(resolver.resolveDocument(did))
  t.equal(error.code, 'ERR_DID_ADDRESS_REFUSED')
  t.equal(error.message, message)
  t.same(connects.hosts, [])
  t.same(server.requests, [])
})

t.test('literal private hosts rejected before connecting', async (t) => {
  const connects = spyOnConnect(t)
  const resolver = new DidResolver({ config: config(), lookup: fakeLookup({}) })
  const cases: Array<[string, string]> = [
    ['did:web:127.0.0.1%3A8443', 'address "127.0.0.1" is a loopback address'],
    ['did:web:10.0.0.1', 'address "10.0.0.1" is a private address'],
    ['did:web:172.16.9.9:a', 'address "172.16.9.9" is a private address'],
    ['did:web:192.168.178.1', 'address "192.168.178.1" is a private address'],
  ]
  for (const [did, reason] of cases) {
    const error = await rejectionOf(resolver.resolveDocument(did))
    t.equal(error.code, 'ERR_DID_ADDRESS_REFUSED', did)
    t.equal(error.message, `${reason}; only hosts on DID_WEB_HTTP_HOSTS may use such addresses`, did)
  }
  t.same(connects.hosts, [])
})

t.test('name resolving to metadata address rejected', async (t) => {
  const connects = spyOnConnect(t)
  const lookup = fakeLookup({ 'metadata.example.test': ['169.254.169.254'] })
  const resolver = new DidResolver({ config: config(), lookup })
  const error = await rejectionOf(resolver.resolveDocument('did:web:metadata.example.test'))
  t.equal(error.code, 'ERR_DID_ADDRESS_REFUSED')
  t.equal(error.message, 'host "metadata.example.test" resolves to a metadata address')
  t.same(lookup.names, ['metadata.example.test'])
  t.same(connects.hosts, [])
})

t.test('document with another id rejected', async (t) => {
  const server = await startServer(t, json(didDocument('did:web:attacker.example')), certificate)
  const did = `did:web:localhost%3A${server.port}`
  const resolver = httpsResolver()
  const message = `DID document id "did:web:attacker.example" does not match the DID "${did}"`

  const result = await resolver.resolve(did)
  t.equal(result.didDocument, null)
  t.same(result.didResolutionMetadata, { error: 'invalidDidDocument', message, code: 'ERR_DID_ID_MISMATCH' })
  const error = await rejectionOf(resolver.resolveDocument(did))
  t.equal(error.code, 'ERR_DID_ID_MISMATCH')
  t.equal(error.message, message)
})

t.test('malformed document rejected', async (t) => {
  const server = await startServer(t, (request, response) => {
    json({ ...didDocument(did), verificationMethod: { id: 'x' } })(request, response)
  })
  const did = `did:web:localhost%3A${server.port}`
  const resolver = new DidResolver({
    config: config({ httpHosts: [{ hostname: 'localhost', scheme: 'http' }] }),
    lookup: fakeLookup({ localhost: ['127.0.0.1'] }),
  })
  const error = await rejectionOf(resolver.resolveDocument(did))
  t.equal(error.code, 'ERR_DID_DOCUMENT_INVALID')
  t.equal(
    error.message,
    `DID document of "${did}" has a "verificationMethod" that is not a list of objects with a string "id"`,
  )
})

t.test('cached document reused until it expires', async (t) => {
  const server = await startServer(
    t,
    documentsOf(() => did),
    certificate,
  )
  const did = `did:web:localhost%3A${server.port}`
  let now = 1_000_000
  const resolver = httpsResolver({ now: () => now })

  await resolver.resolveDocument(did)
  await resolver.resolveDocument(`${did}#key-1`)
  t.equal(server.requests.length, 1, 'second resolution served from the cache')

  now += 299_999
  await resolver.resolveDocument(did)
  t.equal(server.requests.length, 1, 'still cached just before the TTL ends')

  now += 1
  await resolver.resolveDocument(did)
  t.equal(server.requests.length, 2, 'fetched again once the TTL ended')
})

t.test('failed resolution cached briefly', async (t) => {
  const server = await startServer(t, json({}, 404), certificate)
  const did = `did:web:localhost%3A${server.port}:gone`
  let now = 0
  const resolver = httpsResolver({ now: () => now })
  const message = `DID document not found at "https://localhost:${server.port}/gone/did.json" (HTTP 404)`

  for (const step of [0, 29_999]) {
    now += step
    const error = await rejectionOf(resolver.resolveDocument(did))
    t.equal(error.code, 'ERR_DID_NOT_FOUND')
    t.equal(error.message, message)
  }
  t.equal(server.requests.length, 1, 'the failure was cached')

  now += 1
  await rejectionOf(resolver.resolveDocument(did))
  t.equal(server.requests.length, 2, 'fetched again once the negative TTL ended')
})

t.test('cache bypassed on request', async (t) => {
  const server = await startServer(
    t,
    documentsOf(() => did),
    certificate,
  )
  const did = `did:web:localhost%3A${server.port}`
  const resolver = httpsResolver()
  await resolver.resolve(did)
  await resolver.resolve(did, { cache: false })
  t.equal(server.requests.length, 2)
})

t.test('concurrent resolutions share one fetch', async (t) => {
  const heldResponses: Array<() => void> = []
  let arrived: () => void = () => {}
  const firstRequest = new Promise<void>((resolve) => (arrived = resolve))
  const server = await startServer(
    t,
    (request, response) => {
      heldResponses.push(() => documentsOf(() => did)(request, response))
      arrived()
    },
    certificate,
  )
  const did = `did:web:localhost%3A${server.port}`
  const resolver = httpsResolver()

  const pending = Array.from({ length: 5 }, () => resolver.resolveDocument(did))
  await firstRequest
  for (const release of heldResponses) release()
  const documents = await Promise.all(pending)

  t.equal(server.requests.length, 1)
  t.ok(
    documents.every((document) => document === documents[0]),
    'every caller gets the same document',
  )
  t.ok(Object.isFrozen(documents[0]), 'the shared document is frozen')
})

t.test('local documents resolved without HTTP', async (t) => {
  const connects = spyOnConnect(t)
  const lookup = fakeLookup({})
  const local = 'did:web:identity.example.com:companyx'
  const requested: string[] = []
  const resolver = new DidResolver({
    config: config(),
    lookup,
    localDocuments: async (did) => {
      requested.push(did)
      return did === local ? didDocument(local) : undefined
    },
  })

  t.same(await resolver.resolveDocument(`${local}#key-1`), didDocument(local))
  t.same(await resolver.resolveDocument(local), didDocument(local))
  t.same(requested, [local, local], 'local documents are not cached, so key changes show at once')
  t.same(lookup.names, [])
  t.same(connects.hosts, [])

  const error = await rejectionOf(resolver.resolveDocument('did:web:elsewhere.example.test'))
  t.equal(error.code, 'ERR_DID_RESOLUTION_FAILED')
  t.same(lookup.names, ['elsewhere.example.test'], 'other DIDs go to the network')
})

t.test('local document with another id rejected', async (t) => {
  const resolver = new DidResolver({
    config: config(),
    localDocuments: async () => didDocument('did:web:other.example'),
  })
  const error = await rejectionOf(resolver.resolveDocument('did:web:identity.example.com'))
  t.equal(error.code, 'ERR_DID_ID_MISMATCH')
  t.equal(
    error.message,
    'DID document id "did:web:other.example" does not match the DID "did:web:identity.example.com"',
  )
})

t.test('invalid DIDs rejected', async (t) => {
  const resolver = new DidResolver({ config: config(), lookup: fakeLookup({}) })
  const cases: Array<[string, string, string, string]> = [
    ['not-a-did', 'invalidDid', 'ERR_DID_INVALID', 'invalid DID "not-a-did"'],
    [
      'did:key:z6MkhaXgBZD',
      'unsupportedDidMethod',
      'ERR_DID_METHOD_UNSUPPORTED',
      'method of DID "did:key:z6MkhaXgBZD" is not supported; expected did:web',
    ],
    [
      'did:web:example.com?versionId=1',
      'invalidDid',
      'ERR_DID_INVALID',
      'DID URL "did:web:example.com?versionId=1" has a query, which did:web does not support',
    ],
    [
      'did:web:example.com:..',
      'invalidDid',
      'ERR_DID_INVALID',
      'invalid did:web DID "did:web:example.com:..": path segment ".." is a dot segment',
    ],
  ]
  for (const [did, resolutionError, code, message] of cases) {
    const result = await resolver.resolve(did)
    t.equal(result.didResolutionMetadata.error, resolutionError, did)
    const error = await rejectionOf(resolver.resolveDocument(did))
    t.equal(error.code, code, did)
    t.equal(error.message, message, did)
  }
})

t.test('fetch failures logged once per fetch', async (t) => {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString())
      callback()
    },
  })
  const resolver = new DidResolver({
    config: config(),
    lookup: fakeLookup({}),
    logger: createLogger('info', destination),
  })
  await resolver.resolve('did:web:missing.example.test')
  await resolver.resolve('did:web:missing.example.test')
  t.equal(lines.length, 1)
  const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>
  t.equal(line.msg, 'DID resolution failed')
  t.equal(line.did, 'did:web:missing.example.test')
  t.equal(line.code, 'ERR_DID_RESOLUTION_FAILED')
  t.equal(line.reason, 'DNS lookup of host "missing.example.test" failed (ENOTFOUND)')
})
