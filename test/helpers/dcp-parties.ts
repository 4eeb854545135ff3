import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { JWTPayload } from 'jose'
import { startServer } from './did-servers.js'
import { createTestParty, type TestParty } from './test-party.js'

/** Parties on a loopback did:web host, as the DCP TCK hosts its issuer and third party. */
export interface LoopbackParties {
  /** `127.0.0.1:<port>`, the value for DID_WEB_HTTP_HOSTS. */
  host: string
  /** Creates a party `did:web:127.0.0.1%3A<port>:<name>` whose document the server publishes. */
  add(name: string): Promise<TestParty>
  /** Serves other JSON at a path, such as a status list credential. */
  serve(path: string, body: () => { status: number; contentType: string; body: string }): void
  /** Paths requested so far. */
  requests: string[]
}

/** Starts a loopback http server that publishes party DID documents; it stops when the test ends. */
export async function startLoopbackParties(t: Test): Promise<LoopbackParties> {
  const routes = new Map<string, () => { status: number; contentType: string; body: string }>()
  const server = await startServer(t, (request, response) => {
    const route = routes.get(request.url ?? '')
    const answer = route?.() ?? { status: 404, contentType: 'text/plain', body: 'not found' }
    response.writeHead(answer.status, { 'content-type': answer.contentType })
    response.end(answer.body)
  })
  const host = `127.0.0.1:${server.port}`
  return {
    host,
    requests: server.requests,
    async add(name) {
      const party = await createTestParty(`did:web:127.0.0.1%3A${server.port}:${name}`)
      routes.set(`/${name}/did.json`, () => ({ status: 200, contentType: 'application/did+json', body: JSON.stringify(party.document) }))
      return party
    },
    serve(path, body) {
      routes.set(path, body)
    },
  }
}

/**
 * Claims of a VC 1.1 JWT credential as DCP TCK 1.0.0-RC6 seeds them: `sub` is the credential id,
 * `type` lacks `VerifiableCredential`, `@context` is the id string and `expirationDate` is null.
 */
export function tckRc6CredentialClaims(issuer: string, holder: string, type: string): JWTPayload {
  const now = Math.floor(Date.now() / 1000)
  const id = randomUUID()
  return {
    iss: issuer,
    sub: id,
    jti: randomUUID(),
    iat: now,
    nbf: now,
    exp: now + 300,
    vc: {
      '@context': id,
      id,
      type: [type],
      issuer,
      issuanceDate: new Date(now * 1000).toISOString(),
      expirationDate: null,
      credentialSubject: { id: holder, foo: 'bar' },
    },
  }
}

/** Claims of a VC 1.1 JWT credential that follows the VC data model. */
export function vc11Claims(issuer: string, holder: string, type: string, extra: Record<string, unknown> = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000)
  return {
    iss: issuer,
    sub: holder,
    jti: randomUUID(),
    iat: now,
    nbf: now - 5,
    exp: now + 600,
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      id: `urn:uuid:${randomUUID()}`,
      type: ['VerifiableCredential', type],
      issuer,
      issuanceDate: new Date((now - 5) * 1000).toISOString(),
      expirationDate: new Date((now + 600) * 1000).toISOString(),
      credentialSubject: { id: holder },
      ...extra,
    },
  }
}
