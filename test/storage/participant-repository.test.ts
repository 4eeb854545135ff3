import t from 'tap'
import { AppError } from '../../src/errors/app-error.js'
import { generateApiKey } from '../../src/participants/api-key-secret.js'
import { findApiKeyCredential, insertApiKey } from '../../src/storage/api-key-repository.js'
import { migrate } from '../../src/storage/migrate.js'
import {
  deleteParticipant,
  findParticipant,
  getParticipant,
  insertParticipant,
  listParticipants,
  setParticipantState,
} from '../../src/storage/participant-repository.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`)
  return error
}

for (const kind of databaseKinds) {
  t.test(`${kind}: participant repository`, async (t) => {
    const db = await createTestDatabase(t, kind)
    await migrate(db)

    t.test('insert and read back', async (t) => {
      const created = await insertParticipant(db, {
        id: 'companyx',
        did: 'did:web:x.example:companyx',
        displayName: 'Company X',
        roles: ['holder', 'holder', 'issuer'],
      })
      t.equal(created.id, 'companyx')
      t.same(created.roles, ['holder', 'issuer'])
      t.equal(created.state, 'active')
      t.type(created.createdAt, Date)
      t.same(await getParticipant(db, 'companyx'), created)
    })

    t.test('generated id fits the id pattern', async (t) => {
      const created = await insertParticipant(db, { did: 'did:web:gen.example', displayName: 'G', roles: ['issuer'] })
      t.match(created.id, /^[a-z2-7]{16}$/)
    })

    t.test('duplicate id and DID are conflicts', async (t) => {
      const byId = await rejection(
        insertParticipant(db, { id: 'companyx', did: 'did:web:other.example', displayName: 'X', roles: ['holder'] }),
      )
      t.equal(byId.code, 'ERR_PARTICIPANT_CONFLICT')
      t.equal(byId.message, 'a participant with id "companyx" already exists')
      const byDid = await rejection(
        insertParticipant(db, { id: 'other', did: 'did:web:x.example:companyx', displayName: 'X', roles: ['holder'] }),
      )
      t.equal(byDid.code, 'ERR_PARTICIPANT_CONFLICT')
      t.equal(byDid.message, 'a participant with DID "did:web:x.example:companyx" already exists')
    })

    t.test('list pages by id and filters by state', async (t) => {
      for (const id of ['p1', 'p2', 'p3']) {
        await insertParticipant(db, { id, did: `did:web:list.example:${id}`, displayName: id, roles: ['holder'] })
      }
      await setParticipantState(db, 'p2', 'deactivated')
      const all = (await listParticipants(db, { limit: 100 })).map((p) => p.id)
      t.same(all, [...all].sort())
      const firstPage = await listParticipants(db, { limit: 2 })
      const secondPage = await listParticipants(db, { limit: 2, after: firstPage.at(-1)!.id })
      t.same(firstPage.map((p) => p.id), all.slice(0, 2))
      t.same(secondPage.map((p) => p.id), all.slice(2, 4))
      const deactivated = await listParticipants(db, { limit: 10, state: 'deactivated' })
      t.same(deactivated.map((p) => p.id), ['p2'])
      const reactivated = await setParticipantState(db, 'p2', 'active')
      t.equal(reactivated.state, 'active')
      t.ok(reactivated.updatedAt.getTime() >= reactivated.createdAt.getTime())
    })

    t.test('delete cascades to owned rows', async (t) => {
      const key = generateApiKey()
      await insertApiKey(db, { id: key.id, participantId: 'p3', name: 'ci', secretHash: key.secretHash })
      t.ok(await findApiKeyCredential(db, key.id))
      await deleteParticipant(db, 'p3')
      t.equal(await findParticipant(db, 'p3'), undefined)
      t.equal(await findApiKeyCredential(db, key.id), undefined)
    })

    t.test('missing participant is not found', async (t) => {
      for (const attempt of [
        () => getParticipant(db, 'nobody'),
        () => setParticipantState(db, 'nobody', 'deactivated'),
        () => deleteParticipant(db, 'nobody'),
      ]) {
        const error = await rejection(attempt())
        t.equal(error.code, 'ERR_PARTICIPANT_NOT_FOUND')
        t.equal(error.message, 'participant "nobody" not found')
      }
    })
  })
}
