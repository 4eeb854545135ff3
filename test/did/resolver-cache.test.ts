import t from 'tap'
import type { DIDResolutionResult } from 'did-resolver'
import { ResolverCache, type ResolverCacheOptions } from '../../src/did/resolver-cache.js'

function resolved(id: string, padding = ''): DIDResolutionResult {
  return { didResolutionMetadata: {}, didDocument: { id, alsoKnownAs: [padding] }, didDocumentMetadata: {} }
}

function failed(error: string): DIDResolutionResult {
  return { didResolutionMetadata: { error }, didDocument: null, didDocumentMetadata: {} }
}

function cache(overrides: Partial<ResolverCacheOptions> = {}): ResolverCache {
  return new ResolverCache({ ttlSeconds: 300, negativeTtlSeconds: 30, maxBytes: 1_000_000, ...overrides })
}

type Counted = { calls: number; resolve: () => Promise<DIDResolutionResult> }

/** Counts the calls of a resolve function that returns the given result. */
function counted(result: () => DIDResolutionResult): Counted {
  const counter = {
    calls: 0,
    resolve: async (): Promise<DIDResolutionResult> => {
      counter.calls += 1
      return result()
    },
  }
  return counter
}

const entryBytes = Buffer.byteLength(JSON.stringify(resolved('did:web:a', 'x'.repeat(100))))

/** Creates a cache with room for two entries, a clock that starts at `start` ms, and resolvers for three DIDs. */
function twoEntryCache(start = 0) {
  const clock = { now: start }
  const results = cache({ maxBytes: entryBytes * 2, now: () => clock.now })
  const [a, b, c] = ['a', 'b', 'c'].map((name) => counted(() => resolved(`did:web:${name}`, 'x'.repeat(100)))) as [Counted, Counted, Counted]
  return { clock, results, a, b, c }
}

t.test('least recently used entry evicted past the budget', async (t) => {
  const { clock, results, a, b, c } = twoEntryCache()

  await results.get('a', a.resolve)
  await results.get('b', b.resolve)
  clock.now += 1000
  await results.get('a', a.resolve)
  await results.get('c', c.resolve)
  t.equal(results.size, 2)

  await results.get('a', a.resolve)
  await results.get('b', b.resolve)
  t.equal(a.calls, 1, 'a was used last, so it stayed')
  t.equal(b.calls, 2, 'b was the least recently used, so it was evicted')
})

t.test('a moved entry stays put for a second', async (t) => {
  const { clock, results, a, b, c } = twoEntryCache()

  await results.get('a', a.resolve)
  clock.now = 500
  await results.get('b', b.resolve)
  clock.now = 1000
  await results.get('a', a.resolve)
  clock.now = 1600
  await results.get('b', b.resolve)
  clock.now = 1700
  await results.get('a', a.resolve)
  await results.get('c', c.resolve)

  await results.get('b', b.resolve)
  t.equal(b.calls, 1, 'b, moved at 1600 ms, stayed')
  await results.get('a', a.resolve)
  t.equal(a.calls, 2, 'a, moved at 1000 ms and used at 1700 ms without a move, was evicted')
})

t.test('a clock stepped back still moves entries', async (t) => {
  const { clock, results, a, b, c } = twoEntryCache(3_600_000)

  await results.get('a', a.resolve)
  await results.get('b', b.resolve)
  clock.now = 60_000
  await results.get('a', a.resolve)
  await results.get('c', c.resolve)

  await results.get('a', a.resolve)
  t.equal(a.calls, 1, 'a, used after the step back, stayed')
  await results.get('b', b.resolve)
  t.equal(b.calls, 2, 'b was evicted')
})

t.test('recency counted to within a second', async (t) => {
  const { clock, results, a, b, c } = twoEntryCache()

  await results.get('a', a.resolve)
  await results.get('b', b.resolve)
  clock.now += 999
  await results.get('a', a.resolve)
  await results.get('c', c.resolve)

  await results.get('b', b.resolve)
  t.equal(b.calls, 1, 'b stayed: a used within a second of its insert kept the oldest place')
  await results.get('a', a.resolve)
  t.equal(a.calls, 2, 'a was evicted')
})

t.test('entry larger than the budget not stored', async (t) => {
  const results = cache({ maxBytes: entryBytes - 1 })
  const a = counted(() => resolved('did:web:a', 'x'.repeat(100)))
  await results.get('a', a.resolve)
  await results.get('a', a.resolve)
  t.equal(a.calls, 2)
  t.equal(results.size, 0)
})

t.test('zero TTLs store nothing', async (t) => {
  const results = cache({ ttlSeconds: 0, negativeTtlSeconds: 0 })
  const good = counted(() => resolved('did:web:a'))
  const bad = counted(() => failed('notFound'))
  await results.get('a', good.resolve)
  await results.get('a', good.resolve)
  await results.get('b', bad.resolve)
  await results.get('b', bad.resolve)
  t.equal(good.calls, 2)
  t.equal(bad.calls, 2)
})

t.test('negative TTL applies to failures', async (t) => {
  let now = 0
  const results = cache({ now: () => now })
  const bad = counted(() => failed('invalidDidDocument'))
  await results.get('a', bad.resolve)
  now = 29_999
  await results.get('a', bad.resolve)
  t.equal(bad.calls, 1)
  now = 30_000
  await results.get('a', bad.resolve)
  t.equal(bad.calls, 2)
})

t.test('invalid DIDs not stored', async (t) => {
  const results = cache()
  const invalid = counted(() => failed('invalidDid'))
  await results.get('x', invalid.resolve)
  await results.get('x', invalid.resolve)
  t.equal(invalid.calls, 2)
})

t.test('rejected resolution not stored and retried', async (t) => {
  const results = cache()
  let calls = 0
  const flaky = async (): Promise<DIDResolutionResult> => {
    calls += 1
    if (calls === 1) throw new Error('local documents unavailable')
    return resolved('did:web:a')
  }
  await t.rejects(results.get('a', flaky), { message: 'local documents unavailable' })
  t.same(await results.get('a', flaky), resolved('did:web:a'))
  t.equal(calls, 2)
})

t.test('cached results frozen', async (t) => {
  const results = cache()
  const result = await results.get('a', async () => resolved('did:web:a'))
  t.ok(Object.isFrozen(result))
  t.ok(Object.isFrozen(result.didDocument?.alsoKnownAs))
})

t.test('did-resolver adapter keys by DID and query', async (t) => {
  const results = cache()
  const adapter = results.asDidCache()
  const a = counted(() => resolved('did:web:a'))
  const parsed = { did: 'did:web:a', didUrl: 'did:web:a#key-1', method: 'web', id: 'a', fragment: 'key-1' }
  await adapter(parsed, a.resolve)
  await adapter({ ...parsed, didUrl: 'did:web:a' }, a.resolve)
  t.equal(a.calls, 1, 'fragments share the entry of their DID')
  await adapter({ ...parsed, didUrl: 'did:web:a?v=1', query: 'v=1' }, a.resolve)
  t.equal(a.calls, 2, 'a query gets its own entry')
  await adapter(parsed, a.resolve, { cache: false })
  t.equal(a.calls, 3, 'cache: false bypasses the cache')
})
