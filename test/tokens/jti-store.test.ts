import t from 'tap'
import { insertParticipant } from '../../src/storage/participant-repository.js'
import { migrate } from '../../src/storage/migrate.js'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'
import { deleteExpiredTokenUses, recordTokenUse } from '../../src/tokens/jti-store.js'
import { createPostgresDatabase, createTestDatabase, databaseKinds } from '../helpers/databases.js'

const later = () => new Date(Date.now() + 300_000)

for (const kind of databaseKinds) {
  t.test(`${kind}: token id store`, async (t) => {
    const db = await createTestDatabase(t, kind)
    await migrate(db)
    for (const id of ['holder', 'other']) {
      await insertParticipant(db, { id, did: `did:web:example.com:${id}`, displayName: id, roles: ['holder'] })
    }
    const use = { participantId: 'holder', jti: 'j-1', issuer: 'did:web:verifier', expiresAt: later() }

    t.equal(await recordTokenUse(db, use), true, 'first use accepted')
    t.equal(await recordTokenUse(db, use), false, 'replay refused')
    t.equal(await recordTokenUse(db, { ...use, participantId: 'other' }), true, 'each receiver keeps its own ids')

    await recordTokenUse(db, { ...use, jti: 'old', expiresAt: new Date(Date.now() - 1000) })
    t.equal(await deleteExpiredTokenUses(db, new Date()), 1)
    t.equal(await recordTokenUse(db, { ...use, jti: 'old' }), true, 'an expired id may be forgotten')
    t.equal(await recordTokenUse(db, use), false, 'an unexpired id is kept')
  })
}

t.test('postgres: concurrent replicas accept a token id once', { skip: !process.env.DATABASE_URL && 'DATABASE_URL not set' }, async (t) => {
  const url = await createPostgresDatabase(t)
  const replicas = [new PostgresDatabase({ url, poolMax: 4 }), new PostgresDatabase({ url, poolMax: 4 })]
  t.teardown(() => Promise.all(replicas.map((db) => db.close())))
  await migrate(replicas[0]!)
  await insertParticipant(replicas[0]!, { id: 'holder', did: 'did:web:example.com:holder', displayName: 'h', roles: ['holder'] })
  const use = { participantId: 'holder', jti: 'race', issuer: 'did:web:verifier', expiresAt: later() }
  const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => recordTokenUse(replicas[i % 2]!, use)))
  t.equal(outcomes.filter(Boolean).length, 1)
})
