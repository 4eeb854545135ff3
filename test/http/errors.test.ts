import t from 'tap'
import { adminRequest, adminToken, startTestServer } from '../helpers/server.js'
import { createTestDatabase } from '../helpers/databases.js'

t.test('error mapping', async (t) => {
  const db = await createTestDatabase(t, 'embedded')
  const server = await startTestServer(t, {
    db,
    env: { BODY_LIMIT_BYTES: '2048', RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '60' },
    extend: async ({ internalApp }) => {
      internalApp.get('/test/sql-failure', async () => {
        throw Object.assign(new Error('relation "secret_table" does not exist at SELECT * FROM secret_table'), { code: '42P01' })
      })
      internalApp.get('/test/database-down', async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
      })
    },
  })
  const app = server.internalApp

  t.test('unknown route is 404', async (t) => {
    const response = await app.inject({ method: 'GET', url: '/nowhere?x=1' })
    t.equal(response.statusCode, 404)
    t.same(response.json(), { error: 'ERR_ROUTE_NOT_FOUND', message: 'no route for GET /nowhere' })
  })

  t.test('body over the limit is 413', async (t) => {
    const response = await adminRequest(app, 'POST', '/v1/participants', {
      body: { id: 'big', did: 'did:web:big', displayName: 'x'.repeat(4096), roles: ['holder'] },
    })
    t.equal(response.statusCode, 413)
    t.equal(response.json().error, 'ERR_REQUEST_TOO_LARGE')
  })

  t.test('wrong content type is 415', async (t) => {
    for (const contentType of ['text/plain', 'application/xml']) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/participants',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': contentType },
        payload: 'id=x',
      })
      t.equal(response.statusCode, 415, contentType)
      t.equal(response.json().error, 'ERR_REQUEST_MEDIA_TYPE')
    }
  })

  t.test('malformed JSON is 400', async (t) => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/participants',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      payload: '{"id": ',
    })
    t.equal(response.statusCode, 400)
    t.equal(response.json().error, 'ERR_REQUEST_MALFORMED')
  })

  t.test('schema violations name the field', async (t) => {
    const cases: Array<[unknown, string]> = [
      [{ did: 'did:web:a', displayName: 'A' }, 'missing required field "body.roles"'],
      [{ did: 'did:web:a', displayName: 'A', roles: ['holder'], color: 'red' }, 'unknown field "body.color"'],
      [{ did: 'did:key:z6Mk', displayName: 'A', roles: ['holder'] }, 'invalid field "body.did": must match pattern'],
      [{ did: 'did:web:a', displayName: 'A', roles: ['admin'] }, 'invalid field "body.roles.0": must be one of "holder", "issuer"'],
      [{ id: 'Upper Case', did: 'did:web:a', displayName: 'A', roles: ['holder'] }, 'invalid field "body.id": must match pattern'],
    ]
    for (const [body, expected] of cases) {
      const response = await adminRequest(app, 'POST', '/v1/participants', { body })
      t.equal(response.statusCode, 400)
      t.equal(response.json().error, 'ERR_REQUEST_INVALID')
      t.ok(response.json().message.startsWith(expected), `${response.json().message} starts with ${expected}`)
    }
    const query = await adminRequest(app, 'GET', '/v1/participants?limit=9999')
    t.equal(query.statusCode, 400)
    t.match(query.json().message, /^invalid field "querystring\.limit"/)
  })

  t.test('internal failures are masked', async (t) => {
    const response = await app.inject({ method: 'GET', url: '/test/sql-failure' })
    t.equal(response.statusCode, 500)
    t.same(response.json(), {
      error: 'ERR_INTERNAL',
      message: 'internal error; the service log has the details under the request id',
    })
    t.notMatch(response.body, /secret_table|SELECT|at /)
    t.ok(response.headers['x-request-id'])
  })

  t.test('database unreachable is 503', async (t) => {
    const response = await app.inject({ method: 'GET', url: '/test/database-down' })
    t.equal(response.statusCode, 503)
    t.same(response.json(), { error: 'ERR_DATABASE_UNAVAILABLE', message: 'the database is unavailable; retry later' })
  })

  t.test('public listener is rate-limited per client', async (t) => {
    const statuses: number[] = []
    let limited
    for (let i = 0; i < 4; i++) {
      limited = await server.publicApp.inject({ method: 'GET', url: '/no-such-did/did.json', remoteAddress: '203.0.113.7' })
      statuses.push(limited.statusCode)
    }
    t.same(statuses, [404, 404, 404, 429])
    t.equal(limited!.json().error, 'ERR_RATE_LIMITED')
    t.match(limited!.json().message, /^rate limit of 3 requests per 60 s exceeded; retry in \d+ s$/)
    t.match(limited!.headers['retry-after'], /^\d+$/)
    const otherClient = await server.publicApp.inject({ method: 'GET', url: '/x', remoteAddress: '203.0.113.8' })
    t.equal(otherClient.statusCode, 404)
  })

  t.test('internal listener is not rate-limited', async (t) => {
    for (let i = 0; i < 5; i++) t.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200)
  })
})
