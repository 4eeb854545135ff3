import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { loadConfig } from '../../src/config/config.js'
import { openKeyStore } from '../../src/keys/key-store.js'
import { createLogger } from '../../src/observability/logger.js'
import { applySeed } from '../../src/seed/apply-seed.js'
import { loadSeed } from '../../src/seed/load-seed.js'
import { listCredentialRequests, updateCredentialRequestState } from '../../src/storage/credential-request-repository.js'
import { migrate } from '../../src/storage/migrate.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { freePort, hostedIssuerId, loopbackDid, startOnPort, waitForRequest } from '../helpers/hosted-issuance.js'

const dir = mkdtempSync(join(tmpdir(), 'dcp-request-seed-'))

function seedFile(name: string, content: string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const issuerDid = 'did:web:issuer.example.com'
const walletYaml = `
participants:
  - id: wallet1
    did: did:web:localhost%3A8080:wallet1
    roles: [holder]
    credentialRequests:
      - { issuerDid: "${issuerDid}", credentialTypes: [MembershipCredential, BpnCredential] }
      - { issuerDid: "${issuerDid}", credentials: [{ id: sensitive-data }] }
`

for (const kind of databaseKinds) {
  t.test(`${kind}: seeded requests are idempotent`, async (t) => {
    const db = await createTestDatabase(t, kind)
    await migrate(db)
    const logger = createLogger('silent')
    const config = loadConfig({ MASTER_KEY: 'a'.repeat(64), ...(kind === 'postgres' ? { DATABASE_URL: process.env.DATABASE_URL! } : {}) })
    const store = openKeyStore(config, db, logger)
    t.teardown(() => store.close())
    const options = { db, keyManager: store.keyManager, logger }

    const first = await applySeed(loadSeed(seedFile('wallet.yaml', walletYaml)), options)
    t.equal(first.filter((change) => change.description.startsWith('credential request')).length, 2)
    const requests = await listCredentialRequests(db, { participantId: 'wallet1', limit: 10 })
    t.equal(requests.length, 2)
    t.ok(requests.every((request) => request.state === 'pending'), 'recorded as pending for the background task')
    t.ok(requests.some((request) => request.credentialObjectIds.includes('sensitive-data')))

    t.same(await applySeed(loadSeed(seedFile('again.yaml', walletYaml)), options), [], 'applying twice adds nothing')
    const reordered = walletYaml.replace('[MembershipCredential, BpnCredential]', '[BpnCredential, MembershipCredential]')
    t.same(await applySeed(loadSeed(seedFile('reordered.yaml', reordered)), options), [], 'type order does not matter')

    const byTypes = requests.find((request) => request.credentialTypes.length > 0)!
    await updateCredentialRequestState(db, byTypes.id, { state: 'issued' })
    t.same(await applySeed(loadSeed(seedFile('issued.yaml', walletYaml)), options), [], 'an issued request counts')
    await updateCredentialRequestState(db, byTypes.id, { state: 'error' })
    const afterError = await applySeed(loadSeed(seedFile('error.yaml', walletYaml)), options)
    t.equal(afterError.length, 1, 'a request in error is requested again')
  })
}

t.test('seed request validation', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  await migrate(db)
  const logger = createLogger('silent')
  const store = openKeyStore(loadConfig({ MASTER_KEY: 'a'.repeat(64) }), db, logger)
  t.teardown(() => store.close())
  const options = { db, keyManager: store.keyManager, logger }

  const both = walletYaml.replace('credentials: [{ id: sensitive-data }]', 'credentials: [{ id: sensitive-data }], credentialTypes: [X]')
  await t.rejects(applySeed(loadSeed(seedFile('both.yaml', both)), options), /"participants.0.credentialRequests.1" must have exactly one/)
  const issuerOnly = walletYaml.replace('roles: [holder]', 'roles: [issuer]')
  await t.rejects(applySeed(loadSeed(seedFile('issuer.yaml', issuerOnly)), options), /needs the holder role/)
  t.equal((await listCredentialRequests(db, { participantId: 'wallet1', limit: 10 })).length, 0, 'a rejected seed records nothing')
})

// Wallet and issuer are two services that start in either order, as in a Kubernetes deployment.
// The wallet starts first with a seed that requests a credential from the issuer, which is down.
t.test('seed at start with the issuer down', async (t) => {
  const [walletPort, issuerPort] = [await freePort(), await freePort()]
  const walletDid = loopbackDid(walletPort, 'wallet1')
  const remoteIssuerDid = loopbackDid(issuerPort, hostedIssuerId)
  const walletSeed = seedFile('start-wallet.yaml', `
participants:
  - id: wallet1
    did: "${walletDid}"
    roles: [holder]
    credentialRequests:
      - { issuerDid: "${remoteIssuerDid}", credentialTypes: [MembershipCredential] }
`)
  const issuerSeed = seedFile('start-issuer.yaml', `
participants:
  - id: ${hostedIssuerId}
    did: "${remoteIssuerDid}"
    roles: [issuer]
    credentialDefinitions:
      - { id: membership, credentialType: MembershipCredential, claims: { holderIdentifier: { attribute: bpn } } }
    holders:
      - { did: "${walletDid}", name: Wallet 1, attributes: { bpn: BPNL000000000001 } }
`)
  const env = { DID_CACHE_NEGATIVE_TTL_SECONDS: '0', CREDENTIAL_REQUEST_MAX_BACKOFF_SECONDS: '1' }

  const walletDb = await createTestDatabase(t, 'embedded')
  const wallet = await startOnPort(t, { db: walletDb, port: walletPort, env: { ...env, SEED_FILE: walletSeed } })
  const [request] = await listCredentialRequests(walletDb, { participantId: 'wallet1', limit: 10 })
  t.ok(request, 'the seeded request is recorded at start')
  await waitForRequest(wallet, 'wallet1', request!.id, (body) => body.attempts >= 1)

  const issuerDb = await createTestDatabase(t, 'embedded')
  await startOnPort(t, { db: issuerDb, port: issuerPort, env: { ...env, SEED_FILE: issuerSeed } })
  const issued = await waitForRequest(wallet, 'wallet1', request!.id, (body) => body.state === 'issued', 20_000)
  t.same(issued.credentialObjectIds, ['membership'])
  t.equal((await listCredentialRequests(walletDb, { participantId: 'wallet1', limit: 10 })).length, 1, 'one request')
})
