import type { LookupAddress } from 'node:dns'
import t from 'tap'
import { boundedLookup, getaddrinfoLookup } from '../../src/did/bounded-lookup.js'
import { threadPoolSize } from '../../src/config/thread-pool-size.js'

/**
 * Builds a name server stand-in that replies only when the test calls `answer` or `fail`.
 * getaddrinfo reads the system's resolver settings, which a test cannot point at a server of its
 * own, so these cases use the stand-in. The last cases run the real getaddrinfo.
 */
function heldNameServer() {
  const pending = new Map<string, { answer: () => void; fail: () => void }>()
  const started: string[] = []
  const lookup = (hostname: string): Promise<readonly LookupAddress[]> =>
    new Promise((resolve, reject) => {
      started.push(hostname)
      pending.set(hostname, {
        answer: () => resolve([{ address: '192.0.2.1', family: 4 }]),
        fail: () => reject(Object.assign(new Error(`no answer for ${hostname}`), { code: 'ETIMEOUT' })),
      })
    })
  return { lookup, started, answer: (hostname: string) => pending.get(hostname)!.answer(), fail: (hostname: string) => pending.get(hostname)!.fail() }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

t.test('bounded lookup: limit and release', async (t) => {
  const server = heldNameServer()
  const lookup = boundedLookup(2, server.lookup)
  const a = lookup('a.example')
  const b = lookup('b.example')
  const c = lookup('c.example')
  await settle()
  t.same(server.started, ['a.example', 'b.example'], 'the third waits for a free slot')

  server.answer('a.example')
  t.same(await a, [{ address: '192.0.2.1', family: 4 }])
  await settle()
  t.same(server.started, ['a.example', 'b.example', 'c.example'])

  server.fail('b.example')
  await t.rejects(b, { code: 'ETIMEOUT' }, 'a failed lookup gives its slot back too')
  server.answer('c.example')
  await c
  const d = lookup('d.example')
  const e = lookup('e.example')
  await settle()
  t.same(server.started.slice(3), ['d.example', 'e.example'], 'both slots are free again')
  server.answer('d.example')
  server.answer('e.example')
  await Promise.all([d, e])
})

t.test('bounded lookup: abandoned waiter skipped', async (t) => {
  const server = heldNameServer()
  const lookup = boundedLookup(1, server.lookup)
  const slow = lookup('slow.example')
  const controller = new AbortController()
  const abandoned = lookup('abandoned.example', controller.signal)
  const next = lookup('next.example')
  await settle()

  controller.abort(new Error('the DID fetch timed out'))
  await t.rejects(abandoned, { message: 'the DID fetch timed out' })
  server.answer('slow.example')
  await slow
  await settle()
  t.same(server.started, ['slow.example', 'next.example'], 'the abandoned name is never looked up')
  server.answer('next.example')
  await next

  await t.rejects(lookup('late.example', AbortSignal.abort()), 'an aborted signal fails at once')
  t.notOk(server.started.includes('late.example'))
})

t.test('bounded lookup: invalid limit', async (t) => {
  t.throws(() => boundedLookup(0), RangeError)
  t.throws(() => boundedLookup(1.5), RangeError)
})

t.test('bounded lookup: real getaddrinfo', async (t) => {
  const lookup = boundedLookup(1)
  const addresses = await lookup('localhost')
  t.ok(addresses.length > 0)
  t.same(addresses, await getaddrinfoLookup('localhost'))
})

t.test('thread pool size: libuv parsing', async (t) => {
  t.equal(threadPoolSize({}), 4, 'unset: libuv default')
  t.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '2' }), 2)
  t.equal(threadPoolSize({ UV_THREADPOOL_SIZE: ' 3threads' }), 3, 'the leading integer counts')
  t.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '0' }), 1)
  t.equal(threadPoolSize({ UV_THREADPOOL_SIZE: 'many' }), 1, 'no number is 1')
  t.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '5000' }), 1024)
  t.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '-1' }), 1024, 'libuv reads it as unsigned')
  t.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '\u00a02' }), 1, 'a no-break space is not whitespace to atoi')
  t.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '4294967298' }), 2, 'cut to 32 bits')
  t.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '-4294967295' }), 1, 'cut to 32 bits from a negative number')
  t.equal(threadPoolSize({ UV_THREADPOOL_SIZE: '99999999999999999999' }), 1024, 'saturated at the largest long')
})
