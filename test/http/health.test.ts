import t from 'tap'
import { startTestServer } from '../helpers/server.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'

for (const kind of databaseKinds) {
  t.test(`${kind}: health`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { internalApp: app, context } = await startTestServer(t, { db })

    const live = await app.inject({ method: 'GET', url: '/health/live' })
    t.same([live.statusCode, live.json()], [200, { status: 'ok' }])
    const ready = await app.inject({ method: 'GET', url: '/health/ready' })
    t.same([ready.statusCode, ready.json()], [200, { status: 'ok', checks: { database: 'ok', keys: 'ok' } }])

    const database = context.readinessChecks.findIndex((check) => check.name === 'database')
    context.readinessChecks[database] = {
      name: 'database',
      check: async () => {
        throw new Error('connection refused')
      },
    }
    const down = await app.inject({ method: 'GET', url: '/health/ready' })
    t.equal(down.statusCode, 503)
    t.same(down.json(), { status: 'unavailable', checks: { database: 'failed: connection refused', keys: 'ok' } })
    t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200)
  })
}

t.test('readiness fails when the database is closed', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const { internalApp: app } = await startTestServer(t, { db })
  await db.close()
  const response = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(response.statusCode, 503)
  t.equal(response.json().status, 'unavailable')
  t.match(response.json().checks.database, /^failed: /)
})

t.test('metrics are exposed in Prometheus format', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const { internalApp: app } = await startTestServer(t, { db })
  await app.inject({ method: 'GET', url: '/health/live' })
  const response = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/plain/)
  t.match(response.body, /dcp_http_requests_total\{listener="internal",method="GET",route="\/health\/live",status="200"\} 1/)
  t.match(response.body, /dcp_http_request_duration_seconds_bucket\{/)
  t.match(response.body, /dcp_db_pool_connections\{state="total"\} 1/)
  t.match(response.body, /process_resident_memory_bytes/)
})

t.test('OpenAPI document and docs page', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const { internalApp: app } = await startTestServer(t, { db })
  const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  t.equal(spec.openapi, '3.1.0')
  t.ok(spec.paths['/v1/participants'].post)
  t.ok(spec.paths['/v1/participants/{participantId}/api-keys'].post)
  t.ok(spec.paths['/v1/audit'].get)
  t.ok(spec.paths['/health/ready'].get)
  t.match(spec.info.description, /ERR_PARTICIPANT_NOT_FOUND \| 404/)
  const page = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
})
