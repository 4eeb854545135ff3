import t from 'tap'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'
import { createPostgresDatabase, createTestDatabase, databaseKinds } from '../helpers/databases.js'

for (const kind of databaseKinds) {
  t.test(`${kind}: named statement runs like an unnamed one`, async (t) => {
    const db = await createTestDatabase(t, kind)
    for (const n of [1, 2]) {
      const result = await db.query<{ n: number }>('SELECT $1::int AS n', [n], { statementName: 'test_echo' })
      t.same(result.rows, [{ n }], `run ${n}`)
    }
    const inTransaction = await db.transaction((tx) => tx.query<{ n: number }>('SELECT $1::int AS n', [3], { statementName: 'test_echo' }))
    t.same(inTransaction.rows, [{ n: 3 }])
  })
}

t.test('postgres: named statement is prepared once per connection', { skip: !databaseKinds.includes('postgres') && 'DATABASE_URL is not set' }, async (t) => {
  const db = await createTestDatabase(t, 'postgres')
  const prepared = await db.transaction(async (tx) => {
    await tx.query('SELECT $1::text AS word', ['first'], { statementName: 'test_word' })
    const second = await tx.query<{ word: string }>('SELECT $1::text AS word', ['second'], { statementName: 'test_word' })
    t.same(second.rows, [{ word: 'second' }], 'the prepared statement takes new parameters')
    await tx.query('SELECT $1::text AS word', ['unnamed'])
    return tx.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')
  })
  t.same(prepared.rows, [{ name: 'test_word' }], 'only the named statement stays prepared')
})

t.test('postgres: named statement survives a changed result type', { skip: !databaseKinds.includes('postgres') && 'DATABASE_URL is not set' }, async (t) => {
  // One connection, so the second run meets the plan that the first one prepared.
  const db = new PostgresDatabase({ url: await createPostgresDatabase(t), poolMax: 1 })
  t.teardown(() => db.close())
  await db.exec(`CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, 'first')`)
  const read = () => db.query<{ body: string }>('SELECT body FROM notes WHERE id = $1', [1], { statementName: 'test_read_note' })
  t.same((await read()).rows, [{ body: 'first' }])
  await db.exec('ALTER TABLE notes ALTER COLUMN body TYPE varchar(100)')
  t.same((await read()).rows, [{ body: 'first' }], 'the run after the change returns the row')
  t.same((await read()).rows, [{ body: 'first' }], 'and so does the next, prepared again')
})
