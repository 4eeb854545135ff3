import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { AppError } from '../../src/errors/app-error.js'
import { createTestDatabase } from '../helpers/databases.js'
import { addParticipant, kmsEnvironment, openTestKeyStore, rejectionOf } from '../helpers/keys.js'

// A loopback HTTP server stands in for an unhealthy KMS: these tests check that the service's
// timeout and retry settings reach the AWS SDK and how the failures are reported.

async function startStub(t: Test, handle: (request: IncomingMessage, response: ServerResponse) => void) {
  const requests: string[] = []
  const server = createServer((request, response) => {
    requests.push(String(request.headers['x-amz-target']))
    request.resume()
    handle(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }
}

t.test('throttled calls are retried up to KMS_MAX_ATTEMPTS', async (t) => {
  const stub = await startStub(t, (_request, response) => {
    response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
    response.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }))
  })
  const db = await createTestDatabase(t, 'embedded')
  const store = await openTestKeyStore(t, db, kmsEnvironment(stub.endpoint, { KMS_MAX_ATTEMPTS: '3' }))
  await addParticipant(db, 'acme')

  const error = await rejectionOf(store.keyManager.create('acme', { usages: ['sign_token'], custody: 'aws-kms' }))
  t.type(error, AppError)
  t.equal((error as AppError).code, 'ERR_KMS_UNAVAILABLE')
  t.equal((error as AppError).message, 'KMS CreateKey failed after every attempt (ThrottlingException: Rate exceeded)')
  t.same(stub.requests, ['TrentService.CreateKey', 'TrentService.CreateKey', 'TrentService.CreateKey'])
})

t.test('unanswered calls time out', async (t) => {
  // The stub never answers, so each attempt ends at KMS_TIMEOUT_MS.
  const stub = await startStub(t, () => {})
  const db = await createTestDatabase(t, 'embedded')
  const env = kmsEnvironment(stub.endpoint, { KMS_MAX_ATTEMPTS: '2', KMS_TIMEOUT_MS: '200' })
  const store = await openTestKeyStore(t, db, env)

  const error = await rejectionOf(store.check())
  t.type(error, AppError)
  t.equal((error as AppError).code, 'ERR_KMS_UNAVAILABLE')
  t.match((error as AppError).message, /^KMS ListKeys failed after every attempt \(TimeoutError: /)
  t.same(stub.requests, ['TrentService.ListKeys', 'TrentService.ListKeys'])
})

t.test('access denied is not retried', async (t) => {
  const stub = await startStub(t, (_request, response) => {
    response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
    response.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'not allowed' }))
  })
  const db = await createTestDatabase(t, 'embedded')
  const store = await openTestKeyStore(t, db, kmsEnvironment(stub.endpoint, { KMS_MAX_ATTEMPTS: '3' }))

  const error = await rejectionOf(store.check())
  t.equal((error as AppError).code, 'ERR_KMS_REQUEST_FAILED')
  t.equal((error as AppError).message, 'KMS ListKeys was rejected (AccessDeniedException: not allowed)')
  t.same(stub.requests, ['TrentService.ListKeys'])
})
