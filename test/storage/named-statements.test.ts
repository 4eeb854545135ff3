import t from 'tap'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'

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
