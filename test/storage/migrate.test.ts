import { cpSync, mkdtempSync, appendFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { appliedMigrations, migrate, migrationsDirectory, MigrationError } from '../../src/storage/migrate.js'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'
import { createPostgresDatabase, createTestDatabase, databaseKinds } from '../helpers/databases.js'

function copyMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dcp-migrations-'))
  cpSync(migrationsDirectory, dir, { recursive: true })
  return dir
}

for (const kind of databaseKinds) {
  t.test(`${kind}: fresh database gets every migration`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const applied = await migrate(db)
    t.ok(applied.length >= 1)
    t.equal(applied[0]?.version, 1)
    t.same(await appliedMigrations(db), applied)
    const tables = await db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    )
    t.ok(tables.rows.some((row) => row.name === 'participants'))
  })

  t.test(`${kind}: second run applies nothing`, async (t) => {
    const db = await createTestDatabase(t, kind)
    await migrate(db)
    t.same(await migrate(db), [])
  })

  t.test(`${kind}: changed migration file stops the run`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const dir = copyMigrations()
    await migrate(db, dir)
    appendFileSync(join(dir, '001.do.participants.sql'), '\n-- edited after release\n')
    const error = await migrate(db, dir).then(
      () => undefined,
      (e: unknown) => e,
    )
    t.type(error, MigrationError)
    t.match((error as Error).message, /^migration 1 was changed after it was applied: its checksum differs/)
  })

  t.test(`${kind}: new migration file is applied later`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const dir = copyMigrations()
    const first = await migrate(db, dir)
    const next = Math.max(...first.map((m) => m.version)) + 1
    writeFileSync(join(dir, `${next}.do.extra.sql`), 'CREATE TABLE extra (id int PRIMARY KEY);')
    const applied = await migrate(db, dir)
    t.same(applied, [{ version: next, name: 'extra' }])
  })

  t.test(`${kind}: failing migration leaves the schema unchanged`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const dir = copyMigrations()
    writeFileSync(join(dir, '900.do.good.sql'), 'CREATE TABLE good (id int);')
    writeFileSync(join(dir, '901.do.broken.sql'), 'CREATE TABLE broken (id int); SELECT no_such_function();')
    const error = await migrate(db, dir).then(
      () => undefined,
      (e: unknown) => e,
    )
    t.type(error, MigrationError)
    t.match((error as Error).message, /^migration failed: .*no_such_function/)
    t.same(await appliedMigrations(db), [])
    const found = await db.query<{ found: boolean }>("SELECT to_regclass('good') IS NOT NULL AS found")
    t.equal(found.rows[0]?.found, false)
  })

  t.test(`${kind}: file numbered below an applied one is refused`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const dir = copyMigrations()
    writeFileSync(join(dir, '960.do.later.sql'), 'SELECT 1;')
    await migrate(db, dir)
    writeFileSync(join(dir, '955.do.late.sql'), 'SELECT 1;')
    const error = await migrate(db, dir).then(
      () => undefined,
      (e: unknown) => e,
    )
    t.type(error, MigrationError)
    t.equal(
      (error as Error).message,
      'migration 955 is numbered below migration 960, which is already applied, so it would never run; give it a number above 960',
    )
  })

  t.test(`${kind}: database newer than the files is refused`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const dir = copyMigrations()
    writeFileSync(join(dir, '950.do.future.sql'), 'SELECT 1;')
    await migrate(db, dir)
    const error = await migrate(db).then(
      () => undefined,
      (e: unknown) => e,
    )
    t.type(error, MigrationError)
    t.match((error as Error).message, /^the database has migration 950 \(future\) but this release knows migrations up to \d+/)
  })
}

t.test('postgres: two runners at once apply each migration once', { skip: !process.env.DATABASE_URL && 'DATABASE_URL not set' }, async (t) => {
  const url = await createPostgresDatabase(t)
  const runners = Array.from({ length: 4 }, () => new PostgresDatabase({ url, poolMax: 2 }))
  t.teardown(() => Promise.all(runners.map((db) => db.close())))
  const results = await Promise.all(runners.map((db) => migrate(db)))
  const appliedCounts = results.map((applied) => applied.length)
  t.equal(appliedCounts.filter((count) => count > 0).length, 1, 'exactly one runner applied migrations')
  const recorded = await appliedMigrations(runners[0]!)
  t.equal(recorded.length, Math.max(...appliedCounts))
  t.equal(new Set(recorded.map((m) => m.version)).size, recorded.length)
})
