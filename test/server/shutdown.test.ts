import { request } from 'node:http'
import t from 'tap'
import { loadConfig } from '../../src/config/config.js'
import { createLogger } from '../../src/observability/logger.js'
import { startServer } from '../../src/server.js'
import { createTestDatabase } from '../helpers/databases.js'
import { adminToken } from '../helpers/server.js'

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (response) => {
      let body = ''
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
      .on('error', reject)
      .end()
  })
}

function config(shutdownTimeoutSeconds: number) {
  return loadConfig({
    PUBLIC_PORT: '0',
    INTERNAL_PORT: '0',
    PUBLIC_HOST: '127.0.0.1',
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_SECONDS: String(shutdownTimeoutSeconds),
  })
}

t.test('shutdown drains a request in flight', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  let release!: () => void
  let started!: () => void
  const requestStarted = new Promise<void>((resolve) => (started = resolve))
  const server = await startServer(config(10), {
    db,
    logger: createLogger('silent'),
    extend: async ({ publicApp }) => {
      publicApp.get('/test/slow', async () => {
        started()
        await new Promise<void>((resolve) => (release = resolve))
        return { finished: true }
      })
    },
  })

  const inFlight = get(`${server.publicUrl}/test/slow`)
  await requestStarted
  const closed = server.close()
  let closedEarly = false
  void closed.then(() => (closedEarly = true))
  await new Promise((resolve) => setImmediate(resolve))

  const refused = await get(`${server.internalUrl}/health/live`).then(
    (response) => response.status,
    (error: NodeJS.ErrnoException) => error.code,
  )
  t.ok(refused === 'ECONNREFUSED' || refused === 503, `new request refused (${refused})`)
  t.notOk(closedEarly, 'close waits for the request in flight')

  release()
  t.same(await inFlight, { status: 200, body: '{"finished":true}' })
  await closed
  t.ok(closedEarly)
  const afterClose = await db.query('SELECT 1 AS one').then(
    () => 'open',
    () => 'closed',
  )
  t.equal(afterClose, 'open', 'a database passed in by the caller stays open')
})

t.test('shutdown timeout closes a request that hangs', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const server = await startServer(config(1), {
    db,
    logger: createLogger('silent'),
    extend: async ({ publicApp }) => {
      publicApp.get('/test/hang', () => new Promise(() => {}))
    },
  })
  const hanging = get(`${server.publicUrl}/test/hang`).then(
    (response) => response.status,
    (error: NodeJS.ErrnoException) => error.code,
  )
  await new Promise((resolve) => setTimeout(resolve, 100))
  await server.close()
  t.equal(await hanging, 'ECONNRESET')
})

t.test('shutdown waits for the handler of a client that hung up', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  let release!: () => void
  let started!: () => void
  const requestStarted = new Promise<void>((resolve) => (started = resolve))
  let handlerQuery = 'not run'
  const server = await startServer(config(10), {
    db,
    logger: createLogger('silent'),
    extend: async ({ publicApp, context }) => {
      publicApp.get('/test/slow-query', async () => {
        started()
        await new Promise<void>((resolve) => (release = resolve))
        // The query a handler makes after its client left, as a presentation query does.
        handlerQuery = await context.db.query('SELECT 1 AS one').then(
          () => 'ran',
          (error: Error) => error.message,
        )
        return { finished: true }
      })
    },
  })

  const client = request(`${server.publicUrl}/test/slow-query`, { agent: false })
  client.on('error', () => {})
  client.end()
  await requestStarted
  client.destroy()
  await new Promise((resolve) => setTimeout(resolve, 50))

  const closed = server.close()
  let closedEarly = false
  void closed.then(() => (closedEarly = true))
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.notOk(closedEarly, 'close waits while the handler runs')

  release()
  await closed
  t.equal(handlerQuery, 'ran', 'the handler reached the database')
})
