import http from 'node:http'
import https from 'node:https'
import type { GuardedFetchOptions } from '../did/guarded-fetch.js'
import { abortable } from '../did/abortable.js'
import { systemLookup } from '../did/bounded-lookup.js'
import { bareHostname, pinnedLookup, resolveAllowedAddresses } from '../did/guarded-lookup.js'
import { defaultPort } from '../did/host-allow-list.js'

/** Raised for every failed POST; the message names the URL and the cause, never the body. */
export class OutboundRequestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OutboundRequestError'
  }
}

export type GuardedPostOptions = Pick<GuardedFetchOptions, 'allowList' | 'timeoutMs' | 'lookup' | 'ca'>

/** Bytes of a response body read before the rest is dropped; error and status bodies are small. */
const maxResponseBytes = 16 * 1024

/**
 * POSTs a JSON body to another party with the address rules of DID resolution: https, or http
 * for a host on DID_WEB_HTTP_HOSTS; every resolved address checked before connecting, and the
 * connection pinned to a checked address. Redirects are not followed, because a redirected POST
 * could carry the bearer token to a host that was not checked. Returns the status of a 2xx
 * response and throws an `OutboundRequestError` otherwise.
 */
export async function guardedPostJson(
  url: URL,
  body: unknown,
  headers: Record<string, string>,
  options: GuardedPostOptions,
): Promise<number> {
  const response = await guardedExchange('POST', url, body, headers, options)
  if (response.status < 200 || response.status > 299) throw new OutboundRequestError(`POST ${url.href} returned status ${response.status}`)
  return response.status
}

/** Status, headers and the first 16 KiB of the body of an exchange. */
export interface GuardedResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/**
 * Sends a GET, or a POST with a JSON body, under the rules of {@link guardedPostJson}, and returns
 * the response whatever its status. Only a failure to get a response throws `OutboundRequestError`.
 */
export async function guardedExchange(
  method: 'GET' | 'POST',
  url: URL,
  body: unknown,
  headers: Record<string, string>,
  options: GuardedPostOptions,
): Promise<GuardedResponse> {
  const port = checkScheme(url, options)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), options.timeoutMs)
  try {
    const lookup = options.lookup ?? systemLookup
    const addresses = await abortable(resolveAllowedAddresses(url, port, options.allowList, lookup, controller.signal), controller.signal)
    return await send(method, url, port, body, headers, { ...options, lookup: pinnedLookup(addresses), signal: controller.signal })
  } catch (error) {
    const reason = controller.signal.aborted ? `timed out after ${options.timeoutMs} ms` : (error as Error).message
    throw new OutboundRequestError(`${method} ${url.href} failed: ${reason}`, { cause: error })
  } finally {
    clearTimeout(timer)
  }
}

function checkScheme(url: URL, options: GuardedPostOptions): number {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OutboundRequestError(`scheme of ${url.href} is not https`)
  }
  const scheme = url.protocol === 'https:' ? 'https' : 'http'
  const port = url.port === '' ? defaultPort(scheme) : Number(url.port)
  if (scheme === 'http' && options.allowList.find(bareHostname(url), port, 'http') === undefined) {
    throw new OutboundRequestError(`http is not allowed for ${url.host}; add the host to DID_WEB_HTTP_HOSTS`)
  }
  return port
}

function send(
  method: 'GET' | 'POST',
  url: URL,
  port: number,
  body: unknown,
  headers: Record<string, string>,
  options: { lookup: ReturnType<typeof pinnedLookup>; signal: AbortSignal; ca?: GuardedPostOptions['ca'] },
): Promise<GuardedResponse> {
  const payload = method === 'POST' ? Buffer.from(JSON.stringify(body)) : Buffer.alloc(0)
  const bodyHeaders = method === 'POST' ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}
  const requestOptions: https.RequestOptions = {
    hostname: bareHostname(url),
    port,
    path: `${url.pathname}${url.search}`,
    method,
    headers: { accept: 'application/json', ...headers, ...bodyHeaders },
    lookup: options.lookup,
    // A fresh agent per request: no pooled socket outlives the address check it was opened after.
    agent: false,
    signal: options.signal,
    ...(options.ca === undefined ? {} : { ca: options.ca as string | Buffer | Array<string | Buffer> }),
  }
  const transport = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const request = transport.request(requestOptions, (response) => {
      const chunks: Buffer[] = []
      let received = 0
      response.on('data', (chunk: Buffer) => {
        received += chunk.length
        if (received > maxResponseBytes) response.destroy()
        else chunks.push(chunk)
      })
      const done = () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') })
      response.on('close', done)
      response.on('error', done)
    })
    request.on('error', reject)
    request.end(payload)
  })
}
