import type { LookupAddress } from 'node:dns'
import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import { DidError, quoteRemote } from './did-error.js'
import { abortable } from './abortable.js'
import { systemLookup, type HostLookup } from './bounded-lookup.js'
import { bareHostname, pinnedLookup, resolveAllowedAddresses } from './guarded-lookup.js'
import { defaultPort, type HostAllowList } from './host-allow-list.js'
import { readJsonBody, type JsonResponse } from './json-response.js'

/** Limits and hooks of one guarded fetch. */
export interface GuardedFetchOptions {
  allowList: HostAllowList
  /** Redirects followed before the fetch fails; each must lead to https. */
  maxRedirects: number
  /** Time limit of the whole exchange: lookups, connections, redirects and body. */
  timeoutMs: number
  /** Largest body accepted, enforced while the body streams in. */
  maxBytes: number
  /** DNS resolution; the operating system's resolver when absent. */
  lookup?: HostLookup
  /**
   * Trusted certificate authorities for https in PEM form, replacing Node's default list, for a
   * private authority or a test server. Certificates are always verified.
   */
  ca?: string | Buffer | ReadonlyArray<string | Buffer>
  /** `Accept` header; DID document types when absent. */
  accept?: string
  /** Whether {@link guardedFetchJson} reads a response without a `Content-Type` header as JSON. */
  allowMissingContentType?: boolean
}

/** Reads the final response of a guarded fetch, enforcing `maxBytes` while the body streams in. */
export type BodyReader<T> = (url: URL, response: IncomingMessage, maxBytes: number) => Promise<T>

const redirectStatuses = new Set([301, 302, 303, 307, 308])

/**
 * Fetches a JSON document with the checks that resolving another party's DID needs. The URL must
 * be https, or http for an allow-listed host. Every address is checked before connecting, and
 * at most `maxRedirects` redirects are followed, each to https. One time limit covers the whole
 * exchange, and the size cap applies while the body streams in. Throws a `DidError` for every
 * failure.
 */
export async function guardedFetchJson(url: URL, options: GuardedFetchOptions): Promise<JsonResponse> {
  const allowMissingContentType = options.allowMissingContentType === true
  return guardedFetch(url, options, (finalUrl, response, maxBytes) =>
    readJsonBody(finalUrl, response, maxBytes, { allowMissingContentType }),
  )
}

/**
 * Fetches a resource with the same address, redirect, time and size rules as
 * {@link guardedFetchJson}, and reads the body with `readBody`, such as a status list credential
 * served as a JWT.
 */
export async function guardedFetch<T>(url: URL, options: GuardedFetchOptions, readBody: BodyReader<T>): Promise<T> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), options.timeoutMs)
  try {
    return await followRedirects(url, options, controller.signal, readBody)
  } catch (error) {
    if (controller.signal.aborted) {
      throw new DidError(
        'ERR_DID_RESOLUTION_TIMEOUT',
        `fetching ${quoteRemote(url.href)} took longer than ${options.timeoutMs} ms`,
        { cause: error },
      )
    }
    throw error
  } finally {
    clearTimeout(timer)
  }
}

async function followRedirects<T>(
  start: URL,
  options: GuardedFetchOptions,
  signal: AbortSignal,
  readBody: BodyReader<T>,
): Promise<T> {
  let url = start
  for (let redirects = 0; ; redirects += 1) {
    const port = checkScheme(url, options.allowList)
    const lookup = options.lookup ?? systemLookup
    const addresses = await abortable(resolveAllowedAddresses(url, port, options.allowList, lookup, signal), signal)
    const response = await sendRequest(url, port, addresses, options, signal)

    const location = response.headers.location
    if (!redirectStatuses.has(response.statusCode ?? 0) || location === undefined) {
      return await readBody(url, response, options.maxBytes)
    }
    response.destroy()
    if (redirects >= options.maxRedirects) {
      throw new DidError(
        'ERR_DID_REDIRECT_REFUSED',
        `fetching ${quoteRemote(start.href)} needs more than ${options.maxRedirects} redirects`,
      )
    }
    url = redirectTarget(url, location)
  }
}

/** Returns the port of the URL after checking that its scheme is allowed for its host. */
function checkScheme(url: URL, allowList: HostAllowList): number {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DidError('ERR_DID_ADDRESS_REFUSED', `scheme of ${quoteRemote(url.href)} is not https`)
  }
  const scheme = url.protocol === 'https:' ? 'https' : 'http'
  const port = url.port === '' ? defaultPort(scheme) : Number(url.port)
  if (scheme === 'http' && allowList.find(bareHostname(url), port, 'http') === undefined) {
    throw new DidError(
      'ERR_DID_ADDRESS_REFUSED',
      `http is not allowed for ${quoteRemote(url.host)}; serve the DID document over https or add the host to DID_WEB_HTTP_HOSTS`,
    )
  }
  return port
}

function redirectTarget(from: URL, location: string): URL {
  let target: URL
  try {
    target = new URL(location, from)
  } catch {
    throw new DidError('ERR_DID_REDIRECT_REFUSED', `redirect from ${quoteRemote(from.href)} has an invalid location`)
  }
  if (target.protocol !== 'https:') {
    throw new DidError(
      'ERR_DID_REDIRECT_REFUSED',
      `redirect from ${quoteRemote(from.href)} to ${quoteRemote(target.href)} is rejected; redirects must lead to https`,
    )
  }
  return target
}

function sendRequest(
  url: URL,
  port: number,
  addresses: readonly LookupAddress[],
  options: GuardedFetchOptions,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const requestOptions: https.RequestOptions = {
    hostname: bareHostname(url),
    port,
    path: `${url.pathname}${url.search}`,
    method: 'GET',
    headers: { accept: options.accept ?? 'application/did+json, application/did+ld+json, application/json;q=0.9' },
    lookup: pinnedLookup(addresses),
    // A fresh agent per request: no pooled socket outlives the address check it was opened after.
    agent: false,
    signal,
    ...(options.ca === undefined ? {} : { ca: options.ca as string | Buffer | Array<string | Buffer> }),
  }
  const transport = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    let request: http.ClientRequest
    try {
      request = transport.request(requestOptions, resolve)
    } catch (error) {
      // node:http throws at once for options it rejects, such as a path with unescaped characters.
      reject(requestFailure(url, error as NodeJS.ErrnoException))
      return
    }
    request.on('error', (error: NodeJS.ErrnoException) => reject(requestFailure(url, error)))
    request.end()
  })
}

function requestFailure(url: URL, error: NodeJS.ErrnoException): DidError {
  const reason = error.code ?? error.message
  return new DidError('ERR_DID_RESOLUTION_FAILED', `request to ${quoteRemote(url.href)} failed (${reason})`, {
    cause: error,
  })
}
