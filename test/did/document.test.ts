import t from 'tap'
import { didPathOf, didPathOfRequest, documentPathOf } from '../../src/did/did-web-path.js'
import { buildDidDocument } from '../../src/did/document.js'
import type { ParticipantKey } from '../../src/keys/key.js'
import type { Participant } from '../../src/participants/participant.js'

const paths: Array<[string, string, string]> = [
  ['did:web:example.com', '', '/.well-known/did.json'],
  ['did:web:localhost%3A8080', '', '/.well-known/did.json'],
  ['did:web:example.com:companyx', ':companyx', '/companyx/did.json'],
  ['did:web:localhost%3A8443:tenants:companyx', ':tenants:companyx', '/tenants/companyx/did.json'],
]

for (const [did, didPath, documentPath] of paths) {
  t.test(`maps ${did}`, async (t) => {
    t.equal(didPathOf(did), didPath)
    t.equal(documentPathOf(did), documentPath)
    t.equal(didPathOfRequest(documentPath), didPath, 'request path maps back')
  })
}

t.test('request paths that name no document', async (t) => {
  for (const path of ['/', '/did.json', '/companyx', '/companyx/did.jsonx', '//did.json', '/a%3Ab/did.json', '/a//did.json']) {
    t.equal(didPathOfRequest(path), undefined, path)
  }
})

t.test('rejects other DID methods', async (t) => {
  t.throws(() => didPathOf('did:key:z6Mk'), new TypeError('"did:key:z6Mk" is not a did:web DID'))
})

function participant(roles: Participant['roles']): Participant {
  const now = new Date()
  return { id: 'acme', did: 'did:web:example.com:acme', displayName: 'Acme', roles, state: 'active', createdAt: now, updatedAt: now }
}

function key(fragment: string, state: ParticipantKey['state']): ParticipantKey {
  return {
    id: fragment.slice(4),
    participantId: 'acme',
    fragment,
    algorithm: 'ES256',
    usages: ['sign_token'],
    custody: 'local',
    state,
    defaultFor: [],
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
    createdAt: new Date(),
    rotatedAt: null,
    revokedAt: null,
  }
}

t.test('document with keys and services', async (t) => {
  const document = buildDidDocument({
    participant: participant(['holder', 'issuer']),
    keys: [key('key-a', 'rotated'), key('key-b', 'active'), key('key-c', 'revoked')],
    services: [{ id: 'dsp', type: 'DataService', serviceEndpoint: 'https://example.com/dsp' }],
    publicBaseUrl: 'https://example.com/identity',
  })
  const did = 'did:web:example.com:acme'
  t.same(document, {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'],
    id: did,
    verificationMethod: [
      { id: `${did}#key-a`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } },
      { id: `${did}#key-b`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } },
    ],
    authentication: [`${did}#key-a`, `${did}#key-b`],
    assertionMethod: [`${did}#key-a`, `${did}#key-b`],
    capabilityInvocation: [`${did}#key-a`, `${did}#key-b`],
    service: [
      { id: `${did}#credential-service`, type: 'CredentialService', serviceEndpoint: 'https://example.com/identity/p/acme/cs' },
      { id: `${did}#issuer-service`, type: 'IssuerService', serviceEndpoint: 'https://example.com/identity/p/acme/is' },
      { id: `${did}#dsp`, type: 'DataService', serviceEndpoint: 'https://example.com/dsp' },
    ],
  })
})

t.test('services follow roles', async (t) => {
  const input = { keys: [], services: [], publicBaseUrl: 'http://localhost:8080' }
  const holder = buildDidDocument({ ...input, participant: participant(['holder']) })
  t.same(holder.service.map((service) => service.type), ['CredentialService'])
  const issuer = buildDidDocument({ ...input, participant: participant(['issuer']) })
  t.same(issuer.service.map((service) => service.type), ['IssuerService'])
})
