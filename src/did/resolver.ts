import {
  parse,
  Resolver,
  type DIDDocument,
  type DIDResolutionOptions,
  type DIDResolutionResult,
  type Resolvable,
} from 'did-resolver'
import type { DidConfig } from '../config/did-variables.js'
import type { Logger } from '../observability/logger.js'
import { checkDidDocument } from './did-document-check.js'
import { DidError, isDidErrorCode, quoteRemote, type DidErrorCode } from './did-error.js'
import type { GuardedFetchOptions } from './guarded-fetch.js'
import type { HostLookup } from './bounded-lookup.js'
import { HostAllowList, type HostRule } from './host-allow-list.js'
import { failedResult, resolvedResult } from './resolution-result.js'
import { ResolverCache } from './resolver-cache.js'
import type { KeyRelationshipPolicy } from './verification-method.js'
import { getDidWebResolver } from './web-driver.js'

/**
 * Returns the DID document of a DID that this process hosts, or undefined for any other DID. It
 * runs before the cache on every did:web resolution, so it should read from memory or an index.
 */
export type LocalDocuments = (did: string) => Promise<DIDDocument | undefined>

/** Collaborators and settings of a {@link DidResolver}. */
export interface DidResolverOptions {
  /** Limits, cache lifetimes and the http allow list, as read from the environment. */
  config: DidConfig
  /** DIDs hosted by this process, resolved without HTTP and without the cache. */
  localDocuments?: LocalDocuments
  /** Rules added to `config.httpHosts`, such as an https host with a private authority. */
  allowedHosts?: readonly HostRule[]
  /** DNS resolution; the operating system's resolver when absent. */
  lookup?: HostLookup
  /** Trusted certificate authorities for https in PEM form, replacing Node's default list. */
  ca?: GuardedFetchOptions['ca']
  /** Current time in milliseconds, for the cache. */
  now?: () => number
  /** Receives one line per failed fetch; failures served from the cache are not logged again. */
  logger?: Logger
}

const codeOfResolutionError: Partial<Record<string, DidErrorCode>> = {
  invalidDid: 'ERR_DID_INVALID',
  unsupportedDidMethod: 'ERR_DID_METHOD_UNSUPPORTED',
  notFound: 'ERR_DID_NOT_FOUND',
  invalidDidDocument: 'ERR_DID_DOCUMENT_INVALID',
}

/**
 * Resolves `did:web` DIDs of other parties through the guarded fetch and a cache, and the DIDs
 * of this process through `localDocuments`. `resolve` keeps the `did-resolver` interface and
 * returns failures as data; `resolveDocument` throws them as `DidError`.
 */
export class DidResolver implements Resolvable {
  readonly #resolver: Resolver
  readonly #localDocuments: LocalDocuments | undefined
  /** Relationship policy of the methods that may sign, applied by `resolveVerificationKey`. */
  readonly keyRelationships: KeyRelationshipPolicy

  constructor(options: DidResolverOptions) {
    const { config } = options
    this.keyRelationships = config.keyRelationships
    const fetchOptions: GuardedFetchOptions = {
      allowList: new HostAllowList([...config.httpHosts, ...(options.allowedHosts ?? [])]),
      maxRedirects: config.maxRedirects,
      timeoutMs: config.resolveTimeoutMs,
      maxBytes: config.documentMaxBytes,
      allowMissingContentType: config.allowMissingContentType,
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    }
    const cache = new ResolverCache({
      ttlSeconds: config.cacheTtlSeconds,
      negativeTtlSeconds: config.cacheNegativeTtlSeconds,
      maxBytes: config.cacheMaxBytes,
      ...(options.now === undefined ? {} : { now: options.now }),
    })
    const { web } = getDidWebResolver(fetchOptions)
    const logger = options.logger
    const loggedWeb: typeof web = async (...args) => logFailure(logger, args[0], await web(...args))
    this.#resolver = new Resolver({ web: loggedWeb }, { cache: cache.asDidCache() })
    this.#localDocuments = options.localDocuments
  }

  /**
   * Resolves a DID or DID URL, ignoring its path and fragment. Resolution failures are returned
   * as data, while errors thrown by `localDocuments` propagate.
   */
  async resolve(didUrl: string, options: DIDResolutionOptions = {}): Promise<DIDResolutionResult> {
    return (await this.#resolveLocal(didUrl)) ?? this.#resolver.resolve(didUrl, options)
  }

  /**
   * Resolves a DID or DID URL to its document and throws a `DidError` when resolution fails.
   * Cached documents are shared and frozen, so a caller that changes one must copy it first.
   */
  async resolveDocument(didUrl: string): Promise<DIDDocument> {
    const result = await this.resolve(didUrl)
    const { error, message, code } = result.didResolutionMetadata
    if (error === undefined && result.didDocument !== null) return result.didDocument

    const errorCode = isDidErrorCode(code) ? code : (codeOfResolutionError[error ?? ''] ?? 'ERR_DID_RESOLUTION_FAILED')
    throw new DidError(errorCode, typeof message === 'string' ? message : defaultMessage(errorCode, didUrl))
  }

  async #resolveLocal(didUrl: string): Promise<DIDResolutionResult | undefined> {
    const parsed = parse(didUrl)
    if (parsed === null || parsed.method !== 'web' || this.#localDocuments === undefined) return undefined
    const document = await this.#localDocuments(parsed.did)
    if (document === undefined) return undefined
    try {
      return resolvedResult(checkDidDocument(document, parsed.did))
    } catch (error) {
      if (error instanceof DidError) return failedResult(error)
      throw error
    }
  }
}

function defaultMessage(code: DidErrorCode, didUrl: string): string {
  if (code === 'ERR_DID_INVALID') return `invalid DID ${quoteRemote(didUrl)}`
  if (code === 'ERR_DID_METHOD_UNSUPPORTED') {
    return `method of DID ${quoteRemote(didUrl)} is not supported; expected did:web`
  }
  return `resolution of DID ${quoteRemote(didUrl)} failed`
}

function logFailure(logger: Logger | undefined, did: string, result: DIDResolutionResult): DIDResolutionResult {
  const { error, code, message } = result.didResolutionMetadata
  if (error !== undefined) logger?.info({ did, code, reason: message }, 'DID resolution failed')
  return result
}
