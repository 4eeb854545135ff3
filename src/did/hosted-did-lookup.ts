import type { DIDDocument } from 'did-resolver'
import { ExpiringCache } from '../keys/expiring-cache.js'
import type { Database } from '../storage/database.js'
import { loadHostedDocumentOfDid } from './hosted-documents.js'

/**
 * The resolver's hook for DIDs of this process. It runs before every did:web resolution, so it
 * remembers for `ttlSeconds` which DIDs are not hosted here; documents of hosted DIDs are built
 * fresh each time, so a rotated key shows at once. A participant created in this process calls
 * `forget`; one created on another replica is found within the TTL.
 */
export class HostedDidLookup {
  readonly #db: Database
  readonly #publicBaseUrl: string
  readonly #notHosted: ExpiringCache<string, true>

  constructor(db: Database, publicBaseUrl: string, ttlSeconds: number) {
    this.#db = db
    this.#publicBaseUrl = publicBaseUrl
    this.#notHosted = new ExpiringCache({ ttlMs: ttlSeconds * 1000, maxEntries: 10_000 })
  }

  readonly documentOf = async (did: string): Promise<DIDDocument | undefined> => {
    if (this.#notHosted.get(did)) return undefined
    const document = await loadHostedDocumentOfDid(this.#db, this.#publicBaseUrl, did)
    if (document === undefined) this.#notHosted.set(did, true)
    return document
  }

  forget(): void {
    this.#notHosted.clear()
  }
}
