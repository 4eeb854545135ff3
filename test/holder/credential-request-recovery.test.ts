import t from 'tap'
import { lockCredentialRequest } from '../../src/storage/issuer-request-repository.js'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'
import { createPostgresDatabase, createTestDatabase } from '../helpers/databases.js'
import {
  createIssuer,
  createWallet,
  freePort,
  hostedIssuerId,
  loopbackDid,
  startHostedIssuance,
  startOnPort,
  waitForRequest,
} from '../helpers/hosted-issuance.js'
import { adminRequest } from '../helpers/server.js'

const manualDefinitions = [
  { id: 'membership', credentialType: 'MembershipCredential', approval: 'manual', claims: { holderIdentifier: { attribute: 'bpn' } } },
]

// The wallet and the issuer run as two services with their own databases. The issuer is set up,
// stopped, and started again on the same port after the wallet's first attempts failed.
t.test('issuer down then up', async (t) => {
  const walletDb = await createTestDatabase(t, 'embedded')
  const issuerDb = await createTestDatabase(t, 'embedded')
  const [walletPort, issuerPort] = [await freePort(), await freePort()]
  const walletDid = loopbackDid(walletPort, 'wallet1')
  const issuerDid = loopbackDid(issuerPort, hostedIssuerId)
  const env = { DID_CACHE_NEGATIVE_TTL_SECONDS: '0', CREDENTIAL_REQUEST_MAX_BACKOFF_SECONDS: '1' }

  const setupIssuer = await startOnPort(t, { db: issuerDb, port: issuerPort, env })
  await createIssuer(setupIssuer, issuerDid, [walletDid])
  await setupIssuer.close()

  const wallet = await startOnPort(t, { db: walletDb, port: walletPort, env })
  await createWallet(wallet, 'wallet1', walletDid)
  const created = await adminRequest(wallet.internalApp, 'POST', '/v1/participants/wallet1/credential-requests', {
    body: { issuerDid, credentialTypes: ['MembershipCredential'] },
  })
  t.equal(created.statusCode, 201, created.body)
  const pending = created.json()
  t.equal(pending.state, 'pending', 'an unreachable issuer leaves the request pending')
  t.equal(pending.attempts, 1)
  t.match(pending.lastError, /^ERR_CREDENTIAL_REQUEST_ISSUER_UNAVAILABLE: /)
  t.ok(pending.nextAttemptAt, 'a retry is scheduled')

  await waitForRequest(wallet, 'wallet1', pending.id, (request) => request.attempts >= 2)
  const issuer = await startOnPort(t, { db: issuerDb, port: issuerPort, env })
  const issued = await waitForRequest(wallet, 'wallet1', pending.id, (request) => request.state === 'issued', 20_000)
  t.ok(issued.issuerPid, 'the issuerPid is recorded')

  // Wait for any duplicate delivery or repeated send before counting.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const stored = (await adminRequest(wallet.internalApp, 'GET', '/v1/participants/wallet1/credentials')).json().items
  t.equal(stored.length, 1, 'one credential stored')
  const requests = (await adminRequest(issuer.internalApp, 'GET', `/v1/participants/${hostedIssuerId}/issuer/credential-requests`)).json().items
  t.equal(requests.length, 1, 'the issuer received the request once')
  const deliveries = (await adminRequest(issuer.internalApp, 'GET', `/v1/participants/${hostedIssuerId}/issuer/deliveries`)).json().items
  t.equal(deliveries.length, 1, 'one delivery')
  t.equal(deliveries[0].state, 'delivered')
})

// Two wallet replicas share one PostgreSQL database and both look for due requests every 100 ms
// while the issuer is down. The issuer must still receive the request once.
t.test('two wallet instances send once', { skip: process.env.DATABASE_URL ? false : 'DATABASE_URL is not set' }, async (t) => {
  const url = await createPostgresDatabase(t)
  const first = new PostgresDatabase({ url, poolMax: 5 })
  const second = new PostgresDatabase({ url, poolMax: 5 })
  t.teardown(async () => {
    await first.close()
    await second.close()
  })
  const issuerDb = await createTestDatabase(t, 'embedded')
  const [walletPort, otherPort, issuerPort] = [await freePort(), await freePort(), await freePort()]
  const walletDid = loopbackDid(walletPort, 'wallet1')
  const issuerDid = loopbackDid(issuerPort, hostedIssuerId)
  const env = { DID_CACHE_NEGATIVE_TTL_SECONDS: '0', CREDENTIAL_REQUEST_MAX_BACKOFF_SECONDS: '1', CREDENTIAL_REQUEST_MAX_ATTEMPTS: '20' }

  const setupIssuer = await startOnPort(t, { db: issuerDb, port: issuerPort, env })
  await createIssuer(setupIssuer, issuerDid, [walletDid])
  await setupIssuer.close()

  const wallet = await startOnPort(t, { db: first, port: walletPort, env })
  await startOnPort(t, { db: second, port: otherPort, env: { ...env, PUBLIC_BASE_URL: `http://127.0.0.1:${walletPort}` } })
  await createWallet(wallet, 'wallet1', walletDid)
  const created = await adminRequest(wallet.internalApp, 'POST', '/v1/participants/wallet1/credential-requests', {
    body: { issuerDid, credentialTypes: ['MembershipCredential'] },
  })
  t.equal(created.json().state, 'pending', created.body)
  await new Promise((resolve) => setTimeout(resolve, 1500))

  const issuer = await startOnPort(t, { db: issuerDb, port: issuerPort, env })
  await waitForRequest(wallet, 'wallet1', created.json().id, (request) => request.state === 'issued', 20_000)
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const received = (await adminRequest(issuer.internalApp, 'GET', `/v1/participants/${hostedIssuerId}/issuer/credential-requests`)).json().items
  t.equal(received.length, 1, 'the issuer received the request once')
  const stored = (await adminRequest(wallet.internalApp, 'GET', '/v1/participants/wallet1/credentials')).json().items
  t.equal(stored.length, 1, 'one credential stored')
})

t.test('attempt bound then error', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const [walletPort, silentPort] = [await freePort(), await freePort()]
  const env = { DID_CACHE_NEGATIVE_TTL_SECONDS: '0', CREDENTIAL_REQUEST_MAX_ATTEMPTS: '2' }
  const wallet = await startOnPort(t, { db, port: walletPort, env })
  await createWallet(wallet, 'wallet1', loopbackDid(walletPort, 'wallet1'))
  // Nothing listens on this port, so every attempt fails with a refused connection.
  const issuerDid = loopbackDid(silentPort, hostedIssuerId)
  const created = await adminRequest(wallet.internalApp, 'POST', '/v1/participants/wallet1/credential-requests', {
    body: { issuerDid, credentialTypes: ['MembershipCredential'] },
  })
  t.equal(created.json().state, 'pending', created.body)

  const failed = await waitForRequest(wallet, 'wallet1', created.json().id, (request) => request.state === 'error')
  t.equal(failed.attempts, 2, 'given up after CREDENTIAL_REQUEST_MAX_ATTEMPTS')
  t.match(failed.lastError, /^ERR_CREDENTIAL_REQUEST_ISSUER_UNAVAILABLE: /)
  t.equal(failed.nextAttemptAt, null, 'no further attempt is scheduled')

  const retried = await adminRequest(wallet.internalApp, 'POST', `/v1/participants/wallet1/credential-requests/${created.json().id}/retry`)
  t.equal(retried.statusCode, 200, retried.body)
  t.equal(retried.json().state, 'pending', 'a retry starts a fresh attempt budget')
  t.equal(retried.json().attempts, 1)
  const audit = await adminRequest(wallet.internalApp, 'GET', '/v1/audit?action=credential-request.retry')
  t.equal(audit.json().items.length, 1, 'the retry is audited')
})

t.test('manual rejection reaches the holder', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const setup = await startHostedIssuance(t, { db, definitions: manualDefinitions, env: { CREDENTIAL_REQUEST_POLL_AFTER_SECONDS: '1' } })
  const { server } = setup
  const request = async (walletId: string) => {
    const response = await adminRequest(server.internalApp, 'POST', `/v1/participants/${walletId}/credential-requests`, {
      body: { issuerDid: setup.issuerDid, credentials: [{ id: 'membership' }] },
    })
    t.equal(response.statusCode, 201, response.body)
    return response.json()
  }

  t.test('by CredentialMessage', async (t) => {
    const sent = await request('wallet1')
    t.equal(sent.state, 'requested')
    // The poll finds RECEIVED, which only postpones the next poll.
    const polled = await waitForRequest(server, 'wallet1', sent.id, (r) => r.lastError !== null)
    t.equal(polled.state, 'requested')
    t.equal(polled.attempts, 0, 'waiting for approval uses no attempt')
    t.match(polled.lastError, /RECEIVED/)

    const rejected = await adminRequest(server.internalApp, 'POST', `/v1/participants/${hostedIssuerId}/issuer/credential-requests/${sent.issuerPid}/reject`, {
      body: { reason: 'not a member' },
    })
    t.equal(rejected.statusCode, 200)
    const closed = await waitForRequest(server, 'wallet1', sent.id, (r) => r.state === 'rejected')
    t.equal(closed.rejectionReason, 'not a member')
    t.equal(closed.nextAttemptAt, null)

    const retried = await adminRequest(server.internalApp, 'POST', `/v1/participants/wallet1/credential-requests/${sent.id}/retry`)
    t.equal(retried.statusCode, 200, retried.body)
    t.equal(retried.json().state, 'requested', 'a retry sends the request again')
    t.not(retried.json().holderPid, sent.holderPid, 'under a new holderPid')
    const again = await adminRequest(server.internalApp, 'POST', `/v1/participants/wallet1/credential-requests/${sent.id}/retry`)
    t.equal(again.statusCode, 409)
    t.equal(again.json().error, 'ERR_CREDENTIAL_REQUEST_STATE')
  })

  // The issuer's CredentialMessage is deleted from its outbox in the rejecting transaction, as if
  // it were lost, so only the holder's status poll can find the rejection.
  t.test('by status poll', async (t) => {
    const sent = await request('wallet2')
    await server.context.db.transaction(async (tx) => {
      const stored = await lockCredentialRequest(tx, hostedIssuerId, sent.issuerPid)
      await server.context.issuer.issuance.reject(tx, stored, 'lost message')
      await tx.query('DELETE FROM issuer_deliveries WHERE issuer_pid = $1', [sent.issuerPid])
    })
    const closed = await waitForRequest(server, 'wallet2', sent.id, (r) => r.state === 'rejected')
    t.match(closed.rejectionReason, /REJECTED/)
  })
})
