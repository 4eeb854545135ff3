import type { IncomingMessage } from 'node:http'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { StatusListConfig } from '../../config/status-list-variables.js'
import { guardedFetch, type GuardedFetchOptions } from '../../did/guarded-fetch.js'
import { resolveVerificationKey, type KeyResolver } from '../../did/verification-key.js'
import { purposeOf } from '../../did/verification-method.js'
import { AppError } from '../../errors/app-error.js'
import { jwsSignatureVerifies } from '../../keys/jws-public-key.js'
import { decodeEncodedList } from './encoded-list.js'
import type { StatusListKind } from './status-entry.js'

/** A verified status list: who issued it, for which purpose, and its bits. */
export interface StatusList {
  kind: StatusListKind
  issuer: string
  purpose: string
  bits: Uint8Array
}

export interface StatusListClientOptions {
  config: StatusListConfig
  /** Address and redirect rules of DID resolution; `maxBytes` is replaced by the list cap. */
  fetchOptions: Omit<GuardedFetchOptions, 'maxBytes' | 'accept'>
  resolver: KeyResolver
  /** Current time in milliseconds. */
  now?: () => number
}

const maxCachedLists = 1000
/** A GZIP list expands by about this factor at most before decompression stops. */
const expansionFactor = 16
const listCredentialTypes: Record<StatusListKind, string> = {
  BitstringStatusList: 'BitstringStatusListCredential',
  StatusList2021: 'StatusList2021Credential',
}
const listKinds = Object.keys(listCredentialTypes) as StatusListKind[]

/**
 * JWT forms first. The JSON forms carry lists secured by an embedded Data Integrity proof. A JSON
 * body of a JWT-secured list has no proof, so it fails verification.
 */
const acceptedMediaTypes =
  'application/vc+jwt, application/statuslist+jwt, application/jwt, application/vc;q=0.5, application/vc+ld+json;q=0.5'

/**
 * Fetches status list credentials through the guarded fetch, verifies them, and keeps each for
 * `cacheTtlSeconds`. JWT list credentials must verify with an `assertionMethod` key of the
 * list's issuer, as for any credential. JSON-LD list credentials must carry a Data Integrity
 * proof that verifies with such a key.
 */
export class StatusListClient {
  readonly #options: StatusListClientOptions
  readonly #cache = new Map<string, { expiresAt: number; list: Promise<StatusList> }>()

  constructor(options: StatusListClientOptions) {
    this.#options = options
  }

  /**
   * Returns the verified list at `url`, from the cache while it is fresh. Without `kind`, a list
   * of either type is accepted and its type is taken from the credential.
   */
  async getList(url: string, kind?: StatusListKind): Promise<StatusList> {
    const now = this.#now()
    const key = `${kind ?? 'any'} ${url}`
    const cached = this.#cache.get(key)
    if (cached && cached.expiresAt > now) return cached.list

    const list = this.#load(url, kind)
    this.#remember(key, { expiresAt: now + this.#options.config.cacheTtlSeconds * 1000, list })
    // A failed load is not cached, so the next check tries again.
    list.catch(() => this.#cache.delete(key))
    return list
  }

  async #load(url: string, kind: StatusListKind | undefined): Promise<StatusList> {
    const target = parseUrl(url)
    const { maxBytes } = this.#options.config
    const fetchOptions = { ...this.#options.fetchOptions, maxBytes, accept: acceptedMediaTypes }
    const raw = await guardedFetch(target, fetchOptions, readJwtBody).catch((error: unknown) => {
      if (error instanceof AppError) throw invalid(`fetching status list ${JSON.stringify(url)} failed: ${error.message}`)
      throw error
    })
    const claims = raw.startsWith('{') ? await this.#verifyDataIntegrity(raw, url) : await this.#verify(raw, url)
    return this.#interpret(claims, kind, url)
  }

  async #verifyDataIntegrity(raw: string, url: string): Promise<Record<string, unknown>> {
    let document: unknown
    try {
      document = JSON.parse(raw)
    } catch {
      throw invalid(`status list ${JSON.stringify(url)} is neither a JWT nor JSON`)
    }
    if (!isObject(document)) throw invalid(`status list ${JSON.stringify(url)} is not a JSON object`)
    const issuer = issuerOf(document)
    if (issuer === undefined) throw invalid(`status list ${JSON.stringify(url)} has no issuer`)
    // Imported on first use, so holders of JWT credentials never load the JSON-LD libraries.
    const [{ verifyCredentialProof, failureReason }, { createDocumentLoader }] = await Promise.all([
      import('../../credentials/data-integrity/data-integrity.js'),
      import('../../credentials/data-integrity/document-loader.js'),
    ])
    const result = await verifyCredentialProof(document, {
      documentLoader: createDocumentLoader(this.#options.resolver),
      now: new Date(this.#now()),
      // Tolerates an issuer clock that runs ahead of this one. #interpret checks expiry without leeway.
      maxClockSkewSeconds: 60,
      // A status list credential carries no status of its own.
      checkStatus: async () => ({ verified: false }),
    })
    if (!result.verified) {
      throw invalid(`status list ${JSON.stringify(url)} from ${JSON.stringify(issuer)} failed verification: ${failureReason(result)}`)
    }
    return { ...document, issuer }
  }

  async #verify(raw: string, url: string): Promise<Record<string, unknown>> {
    let header: ReturnType<typeof decodeProtectedHeader>
    let claims: Record<string, unknown>
    try {
      header = decodeProtectedHeader(raw)
      claims = decodeJwt(raw)
    } catch {
      throw invalid(`status list ${JSON.stringify(url)} is not a JWT`)
    }
    const document = (isObject(claims.vc) ? claims.vc : claims) as Record<string, unknown>
    const issuer = issuerOf(document) ?? (typeof claims.iss === 'string' ? claims.iss : undefined)
    if (issuer === undefined || typeof header.alg !== 'string') throw invalid(`status list ${JSON.stringify(url)} has no issuer or "alg"`)
    try {
      const { key } = await resolveVerificationKey(this.#options.resolver, {
        did: issuer,
        kid: typeof header.kid === 'string' ? header.kid : undefined,
        alg: header.alg,
        purpose: purposeOf.credential,
      })
      if (!jwsSignatureVerifies(raw, key)) throw new Error('the signature does not verify')
    } catch (error) {
      const reason = error instanceof AppError ? error.message : 'the signature does not verify'
      throw invalid(`status list ${JSON.stringify(url)} from ${JSON.stringify(issuer)} failed verification: ${reason}`)
    }
    return { ...document, issuer }
  }

  #interpret(document: Record<string, unknown>, expected: StatusListKind | undefined, url: string): StatusList {
    const types = Array.isArray(document.type) ? document.type : [document.type]
    const kinds = expected === undefined ? listKinds : [expected]
    const kind = kinds.find((candidate) => types.includes(listCredentialTypes[candidate]))
    if (kind === undefined) {
      throw invalid(`status list ${JSON.stringify(url)} is not a ${kinds.map((candidate) => listCredentialTypes[candidate]).join(' or ')}`)
    }
    const validUntil = document.validUntil ?? document.expirationDate
    if (typeof validUntil === 'string' && Date.parse(validUntil) <= this.#now()) {
      throw invalid(`status list ${JSON.stringify(url)} expired at ${validUntil}`)
    }
    const subject = document.credentialSubject
    if (!isObject(subject) || typeof subject.encodedList !== 'string' || typeof subject.statusPurpose !== 'string') {
      throw invalid(`status list ${JSON.stringify(url)} has no "credentialSubject" with "encodedList" and "statusPurpose"`)
    }
    const bits = decodeEncodedList(subject.encodedList, this.#options.config.maxBytes * expansionFactor)
    return { kind, issuer: document.issuer as string, purpose: subject.statusPurpose, bits }
  }

  #remember(key: string, entry: { expiresAt: number; list: Promise<StatusList> }): void {
    this.#cache.delete(key)
    this.#cache.set(key, entry)
    // Maps iterate in insertion order, so the first key is the one stored longest ago.
    if (this.#cache.size > maxCachedLists) this.#cache.delete(this.#cache.keys().next().value!)
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now()
  }
}

/** Reads a JWT body of at most `maxBytes`, whatever its content type, because issuers label JWT lists inconsistently. */
async function readJwtBody(url: URL, response: IncomingMessage, maxBytes: number): Promise<string> {
  const status = response.statusCode ?? 0
  if (status < 200 || status >= 300) {
    response.destroy()
    throw invalid(`${JSON.stringify(url.href)} returned HTTP ${status}`)
  }
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.length
    if (total > maxBytes) {
      response.destroy()
      throw invalid(`${JSON.stringify(url.href)} is larger than ${maxBytes} bytes (STATUS_LIST_MAX_BYTES)`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks, total).toString('utf8').trim()
}

function parseUrl(url: string): URL {
  try {
    return new URL(url)
  } catch {
    throw invalid(`status list URL ${JSON.stringify(url)} is not a URL`)
  }
}

function issuerOf(document: Record<string, unknown>): string | undefined {
  const issuer = document.issuer
  if (typeof issuer === 'string') return issuer
  return isObject(issuer) && typeof issuer.id === 'string' ? issuer.id : undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(message: string): AppError {
  return new AppError('ERR_STATUS_LIST_INVALID', message)
}
