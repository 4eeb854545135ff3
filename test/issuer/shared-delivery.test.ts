import t from 'tap'
import { PostgresDatabase } from '../../src/storage/postgres-database.js'
import { createPostgresDatabase } from '../helpers/databases.js'
import { dcpFetch, issuerId, requestMessage, startIssuerFixture } from '../helpers/issuer-fixture.js'
import { adminRequest, startTestServer } from '../helpers/server.js'

// Two replicas claim deliveries from one PostgreSQL database. The holder is down for the first
// attempts, so both replicas see the delivery due several times; it must still arrive once.
t.test('two instances deliver once', { skip: process.env.DATABASE_URL ? false : 'DATABASE_URL is not set' }, async (t) => {
  const url = await createPostgresDatabase(t)
  const first = new PostgresDatabase({ url, poolMax: 5 })
  const second = new PostgresDatabase({ url, poolMax: 5 })
  t.teardown(async () => {
    await first.close()
    await second.close()
  })
  const env = { ISSUER_DELIVERY_INTERVAL_MS: '100', ISSUER_DELIVERY_BACKOFF_SECONDS: '1', ISSUER_DELIVERY_MAX_ATTEMPTS: '10' }
  const fixture = await startIssuerFixture(t, { db: first, env })
  const other = await startTestServer(t, { db: second, env: { DID_WEB_HTTP_HOSTS: '127.0.0.1', ...env } })

  fixture.holder.status = 503
  const response = await dcpFetch(fixture.baseUrl, `/p/${issuerId}/is/credentials`, {
    token: await fixture.holderToken(),
    body: requestMessage('pid-shared'),
  })
  t.equal(response.status, 201)
  await new Promise((resolve) => setTimeout(resolve, 1500))
  fixture.holder.status = 201

  await fixture.holder.waitForDeliveries(1, 15_000)
  await new Promise((resolve) => setTimeout(resolve, 2500))
  t.equal(fixture.holder.deliveries.length, 1, 'delivered exactly once')
  const deliveries = (await adminRequest(other.internalApp, 'GET', `/v1/participants/${issuerId}/issuer/deliveries`)).json()
  t.equal(deliveries.items.length, 1)
  t.equal(deliveries.items[0].state, 'delivered')
  t.ok(deliveries.items[0].attempts >= 2, 'the first attempts failed')
})
