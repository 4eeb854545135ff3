import t from 'tap'
import { SignJWT } from 'jose'
import { didOfDocumentUrl } from '../../src/inspect/document-url-did.js'
import { classifyInput } from '../../src/inspect/inspect-input.js'
import { describeDuration, relativeTo } from '../../src/inspect/relative-time.js'

const key = new TextEncoder().encode('0123456789abcdef0123456789abcdef')
// Classification reads only the header and claims, so an HMAC signature is enough here.
const jwt = (claims: Record<string, unknown>, typ = 'JWT') => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ }).sign(key)

t.test('classifyInput', async (t) => {
  t.equal(classifyInput('did:web:example.com'), 'did-document')
  t.equal(classifyInput('https://example.com/.well-known/did.json'), 'did-document')
  t.equal(classifyInput('https://example.com/a/b/did.json'), 'did-document')
  t.equal(classifyInput('https://example.com/status/1'), 'status-list')
  t.equal(classifyInput('https://exa mple.com/x'), 'unknown')
  t.equal(classifyInput('not-a-token'), 'unknown')
  t.equal(classifyInput(await jwt({ iss: 'did:a', vp: {} })), 'presentation')
  t.equal(classifyInput(await jwt({ iss: 'did:a', vc: {} })), 'credential')
  t.equal(classifyInput(await jwt({ issuer: 'did:a', type: ['VerifiableCredential'] }, 'vc+jwt')), 'credential')
  t.equal(classifyInput(await jwt({ iss: 'did:a', aud: 'did:a', sub: 'did:b', scope: 's' })), 'access-token')
  t.equal(classifyInput(await jwt({ iss: 'did:a', sub: 'did:a', aud: 'did:b' })), 'self-issued-token')
})

t.test('didOfDocumentUrl', async (t) => {
  t.equal(didOfDocumentUrl(new URL('https://example.com/.well-known/did.json')), 'did:web:example.com')
  t.equal(didOfDocumentUrl(new URL('http://127.0.0.1:8080/a/b/did.json')), 'did:web:127.0.0.1%3A8080:a:b')
  t.throws(() => didOfDocumentUrl(new URL('https://example.com/a/doc.json')), { code: 'ERR_REQUEST_INVALID' })
  t.throws(() => didOfDocumentUrl(new URL('https://example.com/a/did.json?x=1')), { code: 'ERR_REQUEST_INVALID' })
})

t.test('relative time', async (t) => {
  t.equal(describeDuration(1000), '1 second')
  t.equal(describeDuration(59_000), '59 seconds')
  t.equal(describeDuration(-120_000), '2 minutes')
  t.equal(describeDuration(3 * 86_400_000 + 5000), '3 days')
  t.equal(relativeTo(0, 600_000), ' (10 minutes ago)')
  t.equal(relativeTo(7_200_000, 0), ' (in 2 hours)')
})
