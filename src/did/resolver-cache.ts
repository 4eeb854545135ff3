import type { DIDCache, DIDResolutionResult } from 'did-resolver'

/** Lifetimes and size of the resolution cache. */
export interface ResolverCacheOptions {
  /** Lifetime of a resolved document; 0 stores none. */
  ttlSeconds: number
  /** Lifetime of a failed resolution; 0 stores none. */
  negativeTtlSeconds: number
  /** Budget of all entries, counted as the JSON size of each result; 0 stores nothing. */
  maxBytes: number
  /** Current time in milliseconds; tests pass a fake clock. */
  now?: () => number
}

interface Entry {
  readonly result: DIDResolutionResult
  readonly expiresAt: number
  readonly bytes: number
  /** When the entry was stored or last moved to the most recent place. */
  movedAt: number
}

/**
 * Minimum time between two moves of one entry to the most recent place. Hits within it leave the
 * entry where it is. Moving deletes and inserts the key, and V8 rebuilds the Map's table every
 * few moves. For a long-lived Map that averaged about 150 bytes of old-generation garbage per
 * move (V8's heap space statistics, in a loop), and every presentation query hits this cache.
 */
const recencyStepMs = 1000

/**
 * A cache of DID resolution results with a lifetime for documents and a shorter one for
 * failures, bounded by size with least-recently-used eviction, recency counted to within
 * `recencyStepMs`. Concurrent resolutions of one key share a single call. Cached results are
 * frozen, because every caller gets the same object.
 */
export class ResolverCache {
  readonly #options: ResolverCacheOptions
  readonly #now: () => number
  readonly #entries = new Map<string, Entry>()
  readonly #inFlight = new Map<string, Promise<DIDResolutionResult>>()
  #bytes = 0

  constructor(options: ResolverCacheOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
  }

  /** Returns the cached result for the key, or runs `resolve` once for all concurrent callers. */
  get(key: string, resolve: () => Promise<DIDResolutionResult>): Promise<DIDResolutionResult> {
    const cached = this.#fresh(key)
    if (cached !== undefined) return Promise.resolve(cached)
    const pending = this.#inFlight.get(key)
    if (pending !== undefined) return pending

    const started = this.#resolveAndStore(key, resolve)
    this.#inFlight.set(key, started)
    return started
  }

  /** Adapts the cache to the `cache` option of a `did-resolver` `Resolver`. */
  asDidCache(): DIDCache {
    return (parsed, resolve, options) => {
      if (options?.cache === false) return resolve()
      const key = parsed.query === undefined ? parsed.did : `${parsed.did}?${parsed.query}`
      return this.get(key, resolve)
    }
  }

  /** Number of stored entries. */
  get size(): number {
    return this.#entries.size
  }

  async #resolveAndStore(key: string, resolve: () => Promise<DIDResolutionResult>): Promise<DIDResolutionResult> {
    try {
      const result = deepFreeze(await resolve())
      this.#store(key, result)
      return result
    } finally {
      this.#inFlight.delete(key)
    }
  }

  #fresh(key: string): DIDResolutionResult | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    const now = this.#now()
    if (entry.expiresAt <= now) {
      this.#delete(key, entry)
      return undefined
    }
    // A wall clock stepped back would otherwise freeze every entry's place until it catches up.
    if (now < entry.movedAt || now - entry.movedAt >= recencyStepMs) {
      // Inserting again moves the entry to the end of the Map, which is the most recent place.
      this.#entries.delete(key)
      this.#entries.set(key, entry)
      entry.movedAt = now
    }
    return entry.result
  }

  #store(key: string, result: DIDResolutionResult): void {
    const error = result.didResolutionMetadata.error
    // A malformed DID costs nothing to reject again, so it is not worth a cache slot.
    if (error === 'invalidDid') return
    const ttlSeconds = error === undefined ? this.#options.ttlSeconds : this.#options.negativeTtlSeconds
    const bytes = Buffer.byteLength(JSON.stringify(result))
    if (ttlSeconds <= 0 || bytes > this.#options.maxBytes) return

    const previous = this.#entries.get(key)
    if (previous !== undefined) this.#delete(key, previous)
    for (const [oldestKey, oldest] of this.#entries) {
      if (this.#bytes + bytes <= this.#options.maxBytes) break
      this.#delete(oldestKey, oldest)
    }
    const now = this.#now()
    this.#entries.set(key, { result, expiresAt: now + ttlSeconds * 1000, bytes, movedAt: now })
    this.#bytes += bytes
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key)
    this.#bytes -= entry.bytes
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
