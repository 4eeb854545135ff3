import pg from 'pg'
import t from 'tap'
import { parseJwtCredential } from '../../src/credentials/parsed-credential.js'
import { HolderSnapshots, type HolderSnapshot } from '../../src/holder/holder-snapshots.js'
import { createLogger } from '../../src/observability/logger.js'
import { insertCredential, setCredentialState } from '../../src/storage/credential-repository.js'
import type { Database } from '../../src/storage/database.js'
import { migrate } from '../../src/storage/migrate.js'
import { insertParticipant } from '../../src/storage/participant-repository.js'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'
import { replaceVerifierRules } from '../../src/storage/verifier-access-repository.js'
import { createPostgresDatabase, createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { createTestParty } from '../helpers/test-party.js'

const holderDid = 'did:web:holder.example'
const otherDid = 'did:web:other.example'
const issuer = await createTestParty('did:web:issuer.example')

async function prepare(db: Database): Promise<void> {
  await migrate(db)
  await insertParticipant(db, { id: 'holder', did: holderDid, displayName: 'H', roles: ['holder'] })
  await insertParticipant(db, { id: 'other', did: otherDid, displayName: 'O', roles: ['holder'] })
}

async function store(db: Database, participantId: string, subject: string, type: string) {
  const now = Math.floor(Date.now() / 1000)
  const raw = await issuer.sign({
    iss: issuer.did,
    sub: subject,
    nbf: now - 60,
    exp: now + 3600,
    vc: { type: ['VerifiableCredential', type], issuer: issuer.did, credentialSubject: { id: subject } },
  })
  return insertCredential(db, { participantId, credential: parseJwtCredential(raw) })
}

async function started(t: { teardown(fn: () => unknown): void }, db: Database): Promise<HolderSnapshots> {
  const snapshots = new HolderSnapshots(db, createLogger('silent'))
  await snapshots.start()
  t.teardown(() => snapshots.stop())
  return snapshots
}

/** Reads snapshots until `done` accepts one: notifications arrive after the commit, not with it. */
async function eventually(snapshots: HolderSnapshots, participantId: string, done: (snapshot: HolderSnapshot) => boolean) {
  const deadline = Date.now() + 10_000
  for (;;) {
    const snapshot = await snapshots.get(participantId)
    if (done(snapshot) || Date.now() > deadline) return snapshot
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Returns the snapshot once two reads in a row return it, so no earlier notification is pending. */
async function settled(snapshots: HolderSnapshots, participantId: string): Promise<HolderSnapshot> {
  const deadline = Date.now() + 10_000
  let previous = await snapshots.get(participantId)
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    const current = await snapshots.get(participantId)
    if (current === previous || Date.now() > deadline) return current
    previous = current
  }
}

const typesOf = (snapshot: HolderSnapshot) => snapshot.credentials.flatMap((credential) => credential.types).filter((type) => type !== 'VerifiableCredential')

for (const kind of databaseKinds) {
  t.test(`${kind}: holder snapshots`, async (t) => {
    const db = await createTestDatabase(t, kind)
    await prepare(db)
    const snapshots = await started(t, db)
    await store(db, 'holder', holderDid, 'MembershipCredential')

    t.test('kept between reads', async (t) => {
      const first = await settled(snapshots, 'holder')
      t.same(typesOf(first), ['MembershipCredential'])
      t.equal(await snapshots.get('holder'), first, 'the same snapshot again')
    })

    t.test('a stored credential replaces the snapshot', async (t) => {
      const before = await settled(snapshots, 'holder')
      await store(db, 'holder', holderDid, 'BpnCredential')
      const after = await eventually(snapshots, 'holder', (snapshot) => snapshot !== before)
      t.same(typesOf(after).sort(), ['BpnCredential', 'MembershipCredential'])
    })

    t.test('a revoked credential leaves the snapshot', async (t) => {
      const before = await settled(snapshots, 'holder')
      const bpn = before.credentials.find((credential) => credential.types.includes('BpnCredential'))!
      await setCredentialState(db, bpn.id, 'revoked')
      const after = await eventually(snapshots, 'holder', (snapshot) => snapshot !== before)
      t.same(typesOf(after), ['MembershipCredential'])
    })

    t.test('a verifier rule replaces the snapshot', async (t) => {
      const before = await settled(snapshots, 'holder')
      t.same(before.rules, [])
      await replaceVerifierRules(db, { participantId: 'holder', verifierDid: otherDid, allow: [], deny: ['MembershipCredential'] })
      const after = await eventually(snapshots, 'holder', (snapshot) => snapshot !== before)
      t.same(
        after.rules.map((rule) => [rule.verifierDid, rule.effect, rule.credentialType]),
        [[otherDid, 'deny', 'MembershipCredential']],
      )
    })

    t.test("another holder's change keeps this snapshot", async (t) => {
      const before = await settled(snapshots, 'holder')
      const otherBefore = await settled(snapshots, 'other')
      await store(db, 'other', otherDid, 'MembershipCredential')
      await eventually(snapshots, 'other', (snapshot) => snapshot !== otherBefore)
      t.equal(await snapshots.get('holder'), before)
    })

    t.test('a truncated table drops every snapshot', async (t) => {
      const before = await settled(snapshots, 'holder')
      const otherBefore = await settled(snapshots, 'other')
      await db.exec('TRUNCATE verifier_access_rules')
      const after = await eventually(snapshots, 'holder', (snapshot) => snapshot !== before)
      t.same(after.rules, [])
      t.not(await snapshots.get('other'), otherBefore)
    })
  })
}

t.test('postgres: a change on another replica reaches this one', { skip: !process.env.DATABASE_URL }, async (t) => {
  const url = await createPostgresDatabase(t)
  const replicaA = new PostgresDatabase({ url, poolMax: 2 })
  const replicaB = new PostgresDatabase({ url, poolMax: 2 })
  t.teardown(() => replicaA.close())
  t.teardown(() => replicaB.close())
  await prepare(replicaA)
  const snapshots = await started(t, replicaA)

  const before = await settled(snapshots, 'holder')
  t.same(before.credentials, [])
  await store(replicaB, 'holder', holderDid, 'MembershipCredential')
  const after = await eventually(snapshots, 'holder', (snapshot) => snapshot !== before)
  t.same(typesOf(after), ['MembershipCredential'])
})

t.test('postgres: a lost listening connection stops the reuse until it is back', { skip: !process.env.DATABASE_URL }, async (t) => {
  const url = await createPostgresDatabase(t)
  const db = new PostgresDatabase({ url, poolMax: 2 })
  t.teardown(() => db.close())
  await prepare(db)
  const snapshots = await started(t, db)
  const before = await settled(snapshots, 'holder')
  t.equal(await snapshots.get('holder'), before, 'reused while listening')

  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  t.teardown(() => admin.end())
  const ended = await admin.query(
    `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
     WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
  )
  t.same(ended.rows, [{ ended: true }], 'the listening connection ended')

  // The loss is noticed when the socket closes; from then on every read goes to the database.
  const during = await eventually(snapshots, 'holder', (snapshot) => snapshot !== before)
  t.not(await snapshots.get('holder'), during, 'not reused while the connection is down')

  // The connection is opened again after half a second, and reuse resumes.
  const deadline = Date.now() + 10_000
  let reused = false
  while (!reused && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const first = await snapshots.get('holder')
    reused = (await snapshots.get('holder')) === first
  }
  t.ok(reused, 'reused again once listening')

  await store(db, 'holder', holderDid, 'MembershipCredential')
  const after = await eventually(snapshots, 'holder', (snapshot) => snapshot.credentials.length === 1)
  t.same(typesOf(after), ['MembershipCredential'], 'changes are heard again')
})
