import { Writable } from 'node:stream'
import t from 'tap'
import { createLogger } from '../../src/observability/logger.js'
import { createTestDatabase } from '../helpers/databases.js'
import { adminRequest, adminToken, startTestServer } from '../helpers/server.js'

function memoryStream(): { stream: Writable; lines: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk))
      callback()
    },
  })
  return { stream, lines: () => chunks.join('') }
}

t.test('logger redacts secrets in logged objects', async (t) => {
  const { stream, lines } = memoryStream()
  const logger = createLogger('info', stream)
  logger.info(
    {
      form: { client_secret: 'cs-1', token: 'tk-1', grant_type: 'client_credentials' },
      key: { privateKey: 'pk-1', kid: 'did:web:x#key-1' },
      req: { headers: { authorization: 'Bearer ab-1', cookie: 'c-1', host: 'h' } },
    },
    'test line',
  )
  const output = lines()
  for (const secret of ['cs-1', 'tk-1', 'pk-1', 'ab-1', 'c-1']) t.notMatch(output, secret, `${secret} redacted`)
  t.match(output, /"grant_type":"client_credentials"/)
  t.match(output, /"kid":"did:web:x#key-1"/)
})

t.test('request logs carry ids but no credentials', async (t) => {
  const { stream, lines } = memoryStream()
  const db = await createTestDatabase(t, 'embedded')
  const { internalApp } = await startTestServer(t, { db, logger: createLogger('debug', stream) })
  const key = await adminRequest(internalApp, 'POST', '/v1/participants', {
    body: { id: 'logged', did: 'did:web:logged', displayName: 'L', roles: ['holder'] },
  })
  t.equal(key.statusCode, 201)
  await adminRequest(internalApp, 'GET', '/v1/participants', { token: 'dcpk_aaaaaaaaaaaaaaaa_' + 'b'.repeat(43) })
  const output = lines()
  t.notMatch(output, adminToken)
  t.notMatch(output, 'b'.repeat(43))
  t.match(output, /"reqId":"[0-9a-f-]{36}"/)
  t.match(output, /"participantId":"logged"/)
  t.match(output, /"reason":"unknown API key id"/)
})
