import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import type { Environment } from '../../src/config/config.js'
import type { RunningServer } from '../../src/server.js'
import type { Database } from '../../src/storage/database.js'
import { createParticipant } from './admin.js'
import { adminRequest, startTestServer } from './server.js'
import { createTestParty, selfIssuedClaims, type TestParty } from './test-party.js'

/** A parsed JSON body that tests read field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests assert each field they read
export type JsonBody = any

/** A CredentialMessage a loopback holder received, with the bearer token that came with it. */
export interface ReceivedDelivery {
  token: string
  body: JsonBody
}

/**
 * A holder played by a test: its DID document and Credential Service on a loopback http server.
 * `status` is the response status of its Storage API, and 0 closes the connection without a response.
 */
export interface LoopbackHolder {
  party: TestParty
  port: number
  deliveries: ReceivedDelivery[]
  status: number
  /** Resolves once `count` deliveries arrived, or rejects after `timeoutMs`. */
  waitForDeliveries(count: number, timeoutMs?: number): Promise<ReceivedDelivery[]>
}

export async function startLoopbackHolder(t: Test, name = 'holder'): Promise<LoopbackHolder> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  const port = (server.address() as AddressInfo).port
  const party = await createTestParty(`did:web:127.0.0.1%3A${port}:${name}`)
  const document = {
    ...party.document,
    service: [{ id: `${party.did}#cs`, type: 'CredentialService', serviceEndpoint: `http://127.0.0.1:${port}/cs` }],
  }
  const holder: LoopbackHolder = {
    party,
    port,
    deliveries: [],
    status: 201,
    async waitForDeliveries(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (holder.deliveries.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} deliveries, got ${holder.deliveries.length}`)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      return holder.deliveries
    },
  }
  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (request.method === 'GET' && request.url === `/${name}/did.json`) {
        response.writeHead(200, { 'content-type': 'application/did+json' }).end(JSON.stringify(document))
        return
      }
      if (request.method === 'POST' && request.url === '/cs/credentials') {
        if (holder.status === 0) {
          request.socket.destroy()
          return
        }
        if (holder.status < 300) {
          const token = (request.headers.authorization ?? '').replace(/^Bearer /, '')
          holder.deliveries.push({ token, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) })
        }
        response.writeHead(holder.status).end()
        return
      }
      response.writeHead(404).end()
    })
  })
  return holder
}

export const issuerId = 'authority'
export const issuerDid = 'did:web:issuer.test:authority'

/** Definitions shaped like the DCP TCK's: exactly two vc11-sl2021/jwt credentials. */
export const tckDefinitions = [
  { id: 'membership', credentialType: 'MembershipCredential', claims: { holderIdentifier: { attribute: 'bpn' } } },
  { id: 'sensitive-data', credentialType: 'SensitiveDataCredential', claims: { foo: { value: 'bar' } } },
]

export interface IssuerFixture {
  server: RunningServer
  holder: LoopbackHolder
  /** Public base URL of the running server, for DCP calls over real HTTP. */
  baseUrl: string
  /** A Self-Issued ID token of the holder for the issuer. */
  holderToken(extra?: Record<string, unknown>): Promise<string>
}

/**
 * Starts the service with an issuing participant, a loopback holder that is registered with the
 * attribute `bpn`, and the TCK-shaped definitions.
 */
export async function startIssuerFixture(
  t: Test,
  options: { db: Database; env?: Environment; definitions?: object[] },
): Promise<IssuerFixture> {
  const holder = await startLoopbackHolder(t)
  const server = await startTestServer(t, {
    db: options.db,
    env: { DID_WEB_HTTP_HOSTS: '127.0.0.1', ISSUER_DELIVERY_BACKOFF_SECONDS: '1', ...options.env },
  })
  const app = server.internalApp
  await createParticipant(app, { id: issuerId, did: issuerDid, roles: ['issuer'], createKey: true })
  await registerHolder(app, holder.party.did, { bpn: 'BPNL000000000001' })
  for (const definition of options.definitions ?? tckDefinitions) {
    const response = await adminRequest(app, 'POST', `/v1/participants/${issuerId}/issuer/credential-definitions`, {
      body: definition,
    })
    if (response.statusCode !== 201) throw new Error(`creating definition failed: ${response.body}`)
  }
  return {
    server,
    holder,
    baseUrl: server.publicUrl,
    holderToken: (extra = {}) => holder.party.sign(selfIssuedClaims(holder.party.did, issuerDid, extra)),
  }
}

export async function registerHolder(app: RunningServer['internalApp'], did: string, attributes: Record<string, unknown>) {
  const response = await adminRequest(app, 'POST', `/v1/participants/${issuerId}/issuer/holders`, {
    body: { did, name: 'holder', attributes },
  })
  if (response.statusCode !== 201) throw new Error(`registering holder failed: ${response.body}`)
  return response.json()
}

/** Builds a CredentialRequestMessage for the given credential object ids. */
export function requestMessage(holderPid: string, ids: readonly string[] = tckDefinitions.map((definition) => definition.id)) {
  return {
    '@context': ['https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'],
    type: 'CredentialRequestMessage',
    holderPid,
    credentials: ids.map((id) => ({ id })),
  }
}

/** Sends a DCP request to the public listener over real HTTP, as a holder would. */
export async function dcpFetch(
  baseUrl: string,
  path: string,
  init: { method?: string; token?: string | null; authorization?: string; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: JsonBody }> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
  if (init.authorization !== undefined) headers.authorization = init.authorization
  else if (init.token) headers.authorization = `Bearer ${init.token}`
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = text === '' ? null : JSON.parse(text)
  } catch {
    // Non-JSON bodies, such as a JWT, are returned as text.
  }
  return { status: response.status, headers: response.headers, body }
}
