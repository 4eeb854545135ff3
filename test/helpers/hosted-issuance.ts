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
 * and CredentialService entries of hosted DID documents lead back to it. The issuer has the
 * definitions `membership` (MembershipCredential from the `bpn` attribute) and `sensitive-data`,
 * unless `definitions` replaces them, and both wallets are registered holders.
 */
export async function startHostedIssuance(
  t: { teardown(fn: () => unknown): void },
  options: { db: Database; env?: Environment; port?: number; definitions?: object[] },
): Promise<HostedIssuance> {
  const port = options.port ?? (await freePort())
  const host = `127.0.0.1%3A${port}`
  const server = await startTestServer(t, {
    db: options.db,
    env: {
      PUBLIC_PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DID_WEB_HTTP_HOSTS: '127.0.0.1',
      ISSUER_DELIVERY_INTERVAL_MS: '200',
      ISSUER_DELIVERY_BACKOFF_SECONDS: '1',
      CREDENTIAL_REQUEST_INTERVAL_MS: '100',
      CREDENTIAL_REQUEST_BACKOFF_SECONDS: '1',
      ...options.env,
    },
  })
  const app = server.internalApp
  const issuerDid = `did:web:${host}:${hostedIssuerId}`
  const walletDid = (id: string) => `did:web:${host}:${id}`
  const stsSecrets: Record<string, string> = {}
  if ((await adminRequest(app, 'GET', `/v1/participants/${hostedIssuerId}`)).statusCode === 404) {
    await createParticipant(app, { id: hostedIssuerId, did: issuerDid, roles: ['issuer'], createKey: true })
    for (const [index, id] of walletIds.entries()) {
      const created = await adminRequest(app, 'POST', '/v1/participants', {
        body: { id, did: walletDid(id), displayName: id, roles: ['holder'] },
      })
      if (created.statusCode !== 201) throw new Error(`creating wallet failed: ${created.body}`)
      stsSecrets[id] = created.json().stsClient.clientSecret
      await registerWallet(server, walletDid(id), { bpn: `BPNL00000000000${index + 1}` })
    }
    for (const definition of options.definitions ?? defaultDefinitions) {
      const response = await adminRequest(app, 'POST', `/v1/participants/${hostedIssuerId}/issuer/credential-definitions`, { body: definition })
      if (response.statusCode !== 201) throw new Error(`creating definition failed: ${response.body}`)
    }
  }
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
