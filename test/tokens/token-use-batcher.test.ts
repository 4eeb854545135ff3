import t from 'tap'
import { migrate } from '../../src/storage/migrate.js'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'
import { insertParticipant } from '../../src/storage/participant-repository.js'
import { TokenUseBatcher } from '../../src/tokens/token-use-batcher.js'
import { countingStatements, createPostgresDatabase, createTestDatabase, databaseKinds } from '../helpers/databases.js'

const expiresAt = new Date(Date.now() + 300_000)
const use = (participantId: string, jti: string) => ({ participantId, jti, issuer: 'did:web:verifier.example', expiresAt })

for (const kind of databaseKinds) {
  t.test(`${kind}: token use batcher`, async (t) => {
    const db = await createTestDatabase(t, kind)
    await migrate(db)
    await insertParticipant(db, { id: 'holder', did: 'did:web:holder.example', displayName: 'H', roles: ['holder'] })
    await insertParticipant(db, { id: 'other', did: 'did:web:other.example', displayName: 'O', roles: ['holder'] })

    t.test('first use accepted, replay refused', async (t) => {
      const batcher = new TokenUseBatcher(db)
      t.equal(await batcher.record(use('holder', 'a')), true)
      t.equal(await batcher.record(use('holder', 'a')), false)
      t.equal(await batcher.record(use('other', 'a')), true, 'another participant has its own ids')
    })

    t.test('concurrent uses share one statement', async (t) => {
      const counted = countingStatements(db)
      const batcher = new TokenUseBatcher(counted)
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => batcher.record(use('holder', `b-${i}`))))
      t.same(results, Array(50).fill(true))
      t.equal(counted.statements, 1)
      const rows = await db.query(`SELECT count(*)::int AS n FROM token_ids WHERE jti LIKE 'b-%'`)
      t.same(rows.rows, [{ n: 50 }])
    })

    t.test('one id twice in a batch is accepted once', async (t) => {
      const batcher = new TokenUseBatcher(db)
      const results = await Promise.all([batcher.record(use('holder', 'c')), batcher.record(use('holder', 'c'))])
      t.same(results, [true, false])
    })

    t.test('large bursts are split into several statements', async (t) => {
      const counted = countingStatements(db)
      const batcher = new TokenUseBatcher(counted)
      const results = await Promise.all(Array.from({ length: 450 }, (_, i) => batcher.record(use('holder', `d-${i}`))))
      t.equal(results.filter(Boolean).length, 450)
      t.equal(counted.statements, 3)
    })

    t.test('another replica refuses an id recorded here', async (t) => {
      const replicaA = new TokenUseBatcher(db)
      const replicaB = new TokenUseBatcher(db)
      t.equal(await replicaA.record(use('holder', 'e')), true)
      t.equal(await replicaB.record(use('holder', 'e')), false)
    })

    t.test('an unknown participant does not fail the others', async (t) => {
      const batcher = new TokenUseBatcher(db)
      const results = await Promise.all([batcher.record(use('gone', 'f')), batcher.record(use('holder', 'f'))])
      t.same(results, [false, true])
    })
  })
}

t.test('a failed statement rejects every use of its batch', async (t) => {
  // A database without the token_ids table makes the statement fail.
  const unmigrated = await createTestDatabase(t, 'embedded')
  const batcher = new TokenUseBatcher(unmigrated)
  const results = await Promise.allSettled([batcher.record(use('holder', 'g')), batcher.record(use('holder', 'h'))])
  t.same(
    results.map((result) => result.status),
    ['rejected', 'rejected'],
  )
})

t.test('postgres: two replicas accept each id once', { skip: !databaseKinds.includes('postgres') && 'DATABASE_URL is not set' }, async (t) => {
  const url = await createPostgresDatabase(t)
  const replicas = [new PostgresDatabase({ url, poolMax: 4 }), new PostgresDatabase({ url, poolMax: 4 })]
  t.teardown(() => Promise.all(replicas.map((db) => db.close())))
  await migrate(replicas[0]!)
  await insertParticipant(replicas[0]!, { id: 'holder', did: 'did:web:holder.example', displayName: 'H', roles: ['holder'] })
  const batchers = replicas.map((db) => new TokenUseBatcher(db))
  const ids = Array.from({ length: 300 }, (_, i) => `g-${i}`)
  // Each replica records every id twice, in batches that run concurrently with the other's.
  const results = await Promise.all(batchers.flatMap((batcher) => [...ids, ...ids].map((id) => batcher.record(use('holder', id)))))
  t.equal(results.filter(Boolean).length, ids.length, 'each id accepted exactly once')
  const rows = await replicas[1]!.query(`SELECT count(*)::int AS n FROM token_ids WHERE jti LIKE 'g-%'`)
  t.same(rows.rows, [{ n: ids.length }])
})
