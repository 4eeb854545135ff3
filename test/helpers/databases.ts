import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import pg from 'pg'
import type { Database, Queryable } from '../../src/storage/database.js'
import { EmbeddedDatabase } from '../../src/storage/embedded-database.js'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'

export type DatabaseKind = 'embedded' | 'postgres'

interface Teardown {
  teardown(fn: () => unknown): void
}

/** The kinds storage tests run against: always the embedded one, PostgreSQL when DATABASE_URL is set. */
export const databaseKinds: DatabaseKind[] = process.env.DATABASE_URL ? ['embedded', 'postgres'] : ['embedded']

/** Opens an empty database of the given kind that is dropped when the test ends. */
export async function createTestDatabase(t: Teardown, kind: DatabaseKind): Promise<Database> {
  if (kind === 'embedded') {
    const db = await EmbeddedDatabase.open()
    t.teardown(() => db.close())
    return db
  }
  const url = await createPostgresDatabase(t)
  const db = new PostgresDatabase({ url, poolMax: 5 })
  t.teardown(() => db.close())
  return db
}

/**
 * Opens the embedded database of a CLI's data folder, runs `work` and closes it again, so the
 * CLI can open the folder next.
 */
export async function withDataFolder<T>(dataDir: string, work: (db: EmbeddedDatabase) => Promise<T>): Promise<T> {
  const db = await EmbeddedDatabase.open(join(dataDir, 'pglite'))
  try {
    return await work(db)
  } finally {
    await db.close()
  }
}

/** Creates an empty PostgreSQL database on the DATABASE_URL server and returns its URL. */
export async function createPostgresDatabase(t: Teardown): Promise<string> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) throw new Error('DATABASE_URL is not set')
  const name = `dcp_test_${randomBytes(6).toString('hex')}`
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`))
  t.teardown(() => dropDatabase(serverUrl, name))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/**
 * Drops a test database, retrying briefly: an autovacuum worker that starts in it can make the
 * forced drop fail when the role may not end that worker.
 */
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
      return
    } catch (error) {
      if (attempt >= 10) throw error
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt))
    }
  }
}

async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Wraps a database so that a test can count the statements that reach it outside transactions. */
export function countingStatements(db: Database): Pick<Database, 'query' | 'exec' | 'transaction'> & { statements: number } {
  const counter = {
    statements: 0,
    query: ((sql, params, options) => {
      counter.statements += 1
      return db.query(sql, params, options)
    }) as Queryable['query'],
    exec: (sql: string) => db.exec(sql),
    transaction: ((work) => db.transaction(work)) as Database['transaction'],
  }
  return counter
}
