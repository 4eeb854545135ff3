import { Writable } from 'node:stream'
import type { FastifyBaseLogger } from 'fastify'
import t from 'tap'
import { createLogger } from '../../src/observability/logger.js'
import { lazyChildLogger } from '../../src/observability/lazy-child-logger.js'

/** Creates a pino logger at `level` that keeps its records as parsed JSON. */
function capturingLogger(level: string) {
  const records: Array<Record<string, unknown>> = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      records.push(JSON.parse(chunk.toString('utf8')))
      done()
    },
  })
  return { logger: createLogger(level, sink) as unknown as FastifyBaseLogger, records }
}

t.test('a record at an enabled level carries the bindings', async (t) => {
  const { logger, records } = capturingLogger('info')
  const child = lazyChildLogger(logger, { reqId: 'r-1' }, {})
  child.info({ clientId: 'did:web:a.example', form: { client_secret: 'secret-value' } }, 'STS token issued')
  t.equal(records.length, 1)
  t.equal(records[0]!.reqId, 'r-1')
  t.equal(records[0]!.msg, 'STS token issued')
  t.same(records[0]!.form, { client_secret: '[redacted]' }, 'redaction still applies')
})

t.test('a disabled level writes nothing', async (t) => {
  const { logger, records } = capturingLogger('warn')
  const child = lazyChildLogger(logger, { reqId: 'r-2' }, {})
  child.info('not written')
  child.debug('not written')
  t.equal(records.length, 0)
  child.error({ code: 'ERR_INTERNAL' }, 'request failed')
  t.same(
    records.map((record) => [record.reqId, record.msg]),
    [['r-2', 'request failed']],
  )
})

t.test('the level reads from the parent and can be raised per request', async (t) => {
  const { logger, records } = capturingLogger('warn')
  const child = lazyChildLogger(logger, { reqId: 'r-3' }, {})
  t.equal(child.level, 'warn')
  child.level = 'debug'
  t.equal(child.level, 'debug')
  child.debug('written at debug')
  t.same(records.map((record) => record.msg), ['written at debug'])
  t.equal(logger.level, 'warn', 'the parent keeps its level')
})

t.test("a route's own level applies from the start", async (t) => {
  const { logger, records } = capturingLogger('warn')
  const child = lazyChildLogger(logger, { reqId: 'r-5' }, { level: 'debug' })
  t.equal(child.level, 'debug')
  child.debug('written at the route level')
  t.same(records.map((record) => record.msg), ['written at the route level'])
})

t.test('a grandchild keeps both bindings', async (t) => {
  const { logger, records } = capturingLogger('info')
  const child = lazyChildLogger(logger, { reqId: 'r-4' }, {})
  child.child({ participantId: 'companyx' }).info('nested')
  t.equal(records[0]!.reqId, 'r-4')
  t.equal(records[0]!.participantId, 'companyx')
})
