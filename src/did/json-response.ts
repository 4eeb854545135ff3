import type { IncomingMessage } from 'node:http'
import { DidError, quoteRemote } from './did-error.js'

/** A JSON body that passed the status, content type and size checks. */
export interface JsonResponse {
  /** URL that returned the response, after redirects. */
  url: URL
  /** Media type of the response, without parameters. */
  mediaType: string
  body: unknown
}

/** `application/json` and every `+json` type, such as `application/did+json`. */
const jsonMediaType = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/

/** Options of {@link readJsonBody}. */
export interface JsonBodyOptions {
  /** Whether a body without a `Content-Type` header is read as JSON. A non-JSON type is still rejected. */
  allowMissingContentType?: boolean
}

/**
 * Reads a response as JSON after checking its status and content type, and stops reading as
 * soon as the body grows past `maxBytes`, so a large or endless body costs at most that much.
 */
export async function readJsonBody(
  url: URL,
  response: IncomingMessage,
  maxBytes: number,
  options: JsonBodyOptions = {},
): Promise<JsonResponse> {
  checkStatus(url, response)
  const mediaType = checkMediaType(url, response, options.allowMissingContentType === true)
  const declared = Number(response.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(url, maxBytes, response)

  const bytes = await readCapped(url, response, maxBytes)
  return { url, mediaType, body: parseJson(url, bytes) }
}

function checkStatus(url: URL, response: IncomingMessage): void {
  const status = response.statusCode ?? 0
  if (status >= 200 && status < 300) return
  response.destroy()
  if (status === 404 || status === 410) {
    throw new DidError('ERR_DID_NOT_FOUND', `DID document not found at ${quoteRemote(url.href)} (HTTP ${status})`)
  }
  throw new DidError('ERR_DID_RESOLUTION_FAILED', `${quoteRemote(url.href)} returned HTTP ${status}`)
}

function checkMediaType(url: URL, response: IncomingMessage, allowMissing: boolean): string {
  const header = response.headers['content-type'] ?? ''
  const mediaType = (header.split(';')[0] ?? '').trim().toLowerCase()
  if (jsonMediaType.test(mediaType)) return mediaType
  // A body without a type is taken as JSON, because the parse and the DID document checks that
  // follow reject anything else.
  if (mediaType === '' && allowMissing) return 'application/json'
  response.destroy()
  const received = mediaType === '' ? 'no content type' : `content type ${quoteRemote(mediaType)}`
  throw new DidError(
    'ERR_DID_DOCUMENT_INVALID',
    `${quoteRemote(url.href)} returned ${received}; expected application/did+json or application/json`,
  )
}

async function readCapped(url: URL, response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      total += chunk.length
      if (total > maxBytes) throw tooLarge(url, maxBytes, response)
      chunks.push(chunk)
    }
  } catch (error) {
    if (error instanceof DidError) throw error
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new DidError('ERR_DID_RESOLUTION_FAILED', `reading ${quoteRemote(url.href)} failed (${reason})`, {
      cause: error,
    })
  }
  return Buffer.concat(chunks, total)
}

function parseJson(url: URL, bytes: Buffer): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw new DidError('ERR_DID_DOCUMENT_INVALID', `${quoteRemote(url.href)} returned a body that is not valid JSON`)
  }
}

function tooLarge(url: URL, maxBytes: number, response: IncomingMessage): DidError {
  response.destroy()
  return new DidError(
    'ERR_DID_DOCUMENT_TOO_LARGE',
    `DID document at ${quoteRemote(url.href)} is larger than ${maxBytes} bytes (DID_DOCUMENT_MAX_BYTES)`,
  )
}
