import net from 'node:net'
import type { AddressInfo } from 'node:net'
import type { Environment } from '../../src/config/config.js'
import type { RunningServer } from '../../src/server.js'
import type { Database } from '../../src/storage/database.js'
import { createParticipant } from './admin.js'
import type { JsonBody } from './issuer-fixture.js'
import { adminRequest, startTestServer } from './server.js'

export const hostedIssuerId = 'authority'
export const walletIds = ['wallet1', 'wallet2'] as const

/** One service that hosts an issuer and two wallets, which reach each other over loopback HTTP. */
export interface HostedIssuance {
  server: RunningServer
  port: number
  issuerDid: string
  walletDid(id: string): string
  /** STS client secrets of the wallets created by this start, by participant id. */
  stsSecrets: Record<string, string>
}

/** Returns a loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/**
 * Starts the service on a fixed loopback port whose URL is PUBLIC_BASE_URL, so the IssuerService
 * and CredentialService entries of hosted DID documents lead back to it.
 */
export async function startOnPort(
  t: { teardown(fn: () => unknown): void },
  options: { db: Database; port: number; env?: Environment },
): Promise<RunningServer> {
  return startTestServer(t, {
    db: options.db,
    env: {
      PUBLIC_PORT: String(options.port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${options.port}`,
      DID_WEB_HTTP_HOSTS: '127.0.0.1',
      ISSUER_DELIVERY_INTERVAL_MS: '200',
      ISSUER_DELIVERY_BACKOFF_SECONDS: '1',
      CREDENTIAL_REQUEST_INTERVAL_MS: '100',
      CREDENTIAL_REQUEST_BACKOFF_SECONDS: '1',
      ...options.env,
    },
  })
}

/** Returns the did:web DID of participant `id` on the loopback service at `port`. */
export function loopbackDid(port: number, id: string): string {
  return `did:web:127.0.0.1%3A${port}:${id}`
}

/** Creates a holder participant with a key and returns its STS client secret. */
export async function createWallet(server: RunningServer, id: string, did: string): Promise<string> {
  const created = await adminRequest(server.internalApp, 'POST', '/v1/participants', {
    body: { id, did, displayName: id, roles: ['holder'] },
  })
  if (created.statusCode !== 201) throw new Error(`creating wallet failed: ${created.body}`)
  return created.json().stsClient.clientSecret
}

/**
 * Creates the issuing participant with the given definitions (by default `membership`, a
 * MembershipCredential from the `bpn` attribute, and `sensitive-data`) and registers each holder
 * DID with a BPN.
 */
export async function createIssuer(server: RunningServer, did: string, holderDids: string[], definitions: object[] = defaultDefinitions) {
  const app = server.internalApp
  await createParticipant(app, { id: hostedIssuerId, did, roles: ['issuer'], createKey: true })
  for (const [index, holderDid] of holderDids.entries()) {
    await registerWallet(server, holderDid, { bpn: `BPNL00000000000${index + 1}` })
  }
  for (const definition of definitions) {
    const response = await adminRequest(app, 'POST', `/v1/participants/${hostedIssuerId}/issuer/credential-definitions`, { body: definition })
    if (response.statusCode !== 201) throw new Error(`creating definition failed: ${response.body}`)
  }
}

/** Starts one service that hosts the issuer and both wallets. */
export async function startHostedIssuance(
  t: { teardown(fn: () => unknown): void },
  options: { db: Database; env?: Environment; definitions?: object[] },
): Promise<HostedIssuance> {
  const port = await freePort()
  const server = await startOnPort(t, { db: options.db, port, ...(options.env ? { env: options.env } : {}) })
  const walletDid = (id: string) => loopbackDid(port, id)
  const issuerDid = loopbackDid(port, hostedIssuerId)
  const stsSecrets: Record<string, string> = {}
  for (const id of walletIds) stsSecrets[id] = await createWallet(server, id, walletDid(id))
  await createIssuer(server, issuerDid, walletIds.map(walletDid), options.definitions)
  return { server, port, issuerDid, walletDid, stsSecrets }
}

export const defaultDefinitions = [
  { id: 'membership', credentialType: 'MembershipCredential', claims: { holderIdentifier: { attribute: 'bpn' } } },
  { id: 'sensitive-data', credentialType: 'SensitiveDataCredential', claims: { foo: { value: 'bar' } } },
]

async function registerWallet(server: RunningServer, did: string, attributes: Record<string, unknown>) {
  const response = await adminRequest(server.internalApp, 'POST', `/v1/participants/${hostedIssuerId}/issuer/holders`, {
    body: { did, name: did, attributes },
  })
  if (response.statusCode !== 201) throw new Error(`registering holder failed: ${response.body}`)
}

/** Polls a wallet's credential request until `done` accepts it, or fails after `timeoutMs`. */
export async function waitForRequest(
  server: RunningServer,
  walletId: string,
  requestId: string,
  done: (request: JsonBody) => boolean,
  timeoutMs = 15_000,
): Promise<JsonBody> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const response = await adminRequest(server.internalApp, 'GET', `/v1/participants/${walletId}/credential-requests/${requestId}`)
    const body = response.json()
    if (done(body)) return body
    if (Date.now() > deadline) throw new Error(`credential request ${requestId} did not reach the expected state: ${response.body}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
