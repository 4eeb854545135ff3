import { randomUUID } from 'node:crypto'
import t from 'tap'
import { migrate } from '../../src/storage/migrate.js'
import { insertParticipant } from '../../src/storage/participant-repository.js'
import { allocateStatusEntry } from '../../src/storage/status-list-repository.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'

for (const kind of databaseKinds) {
  t.test(`${kind}: status entry allocation`, async (t) => {
    const db = await createTestDatabase(t, kind)
    await migrate(db)
    await insertParticipant(db, { id: 'issuer', did: 'did:web:issuer.test', displayName: 'Issuer', roles: ['issuer'] })
    const allocate = () =>
      db.transaction((tx) =>
        allocateStatusEntry(tx, {
          participantId: 'issuer',
          purpose: 'revocation',
          type: 'StatusList2021',
          proofFormat: 'jwt',
          size: 16,
          credentialId: randomUUID(),
        }),
      )

    const first = []
    for (let i = 0; i < 16; i += 1) first.push(await allocate())
    t.equal(new Set(first.map((entry) => entry.listId)).size, 1, 'sixteen entries fill one list')
    t.same(first.map((entry) => entry.index).sort((a, b) => a - b), [...Array(16).keys()], 'every index once')
    t.notSame(first.map((entry) => entry.index), [...Array(16).keys()], 'indices are not handed out in order')

    const next = await allocate()
    t.not(next.listId, first[0]!.listId, 'a full list makes a new one')
  })
}
