/**
 * A map whose entries expire after `ttlMs` and whose oldest entry is dropped past `maxEntries`,
 * so a process serving many participants keeps bounded memory. The clock is injected, so tests
 * can expire entries without waiting.
 */
export class ExpiringCache<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number }>()
  readonly #ttlMs: number
  readonly #maxEntries: number
  readonly #now: () => number

  constructor(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs
    this.#maxEntries = options.maxEntries
    this.#now = options.now ?? Date.now
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.value
  }

  set(key: K, value: V): void {
    if (this.#ttlMs <= 0) return
    this.#entries.delete(key)
    this.#entries.set(key, { value, expiresAt: this.#now() + this.#ttlMs })
    if (this.#entries.size > this.#maxEntries) {
      // Map iteration follows insertion order, so the first key is the oldest entry.
      this.#entries.delete(this.#entries.keys().next().value as K)
    }
  }

  delete(key: K): void {
    this.#entries.delete(key)
  }

  /** Deletes every entry whose key, or key and value, match. */
  deleteWhere(matches: (key: K, value: V) => boolean): void {
    for (const [key, entry] of this.#entries) if (matches(key, entry.value)) this.#entries.delete(key)
  }

  clear(): void {
    this.#entries.clear()
  }
}
