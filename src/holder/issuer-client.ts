import { randomUUID } from 'node:crypto'
import type { DIDDocument } from 'did-resolver'
import { dcpContextV1 } from '../dcp/context.js'
import { DidError } from '../did/did-error.js'
import { guardedFetchJson, type GuardedFetchOptions } from '../did/guarded-fetch.js'
import type { DidResolver } from '../did/resolver.js'
import { AppError } from '../errors/app-error.js'
import type { ErrorCode } from '../errors/codes.js'
import { guardedExchange, OutboundRequestError, type GuardedPostOptions } from '../issuer/guarded-post.js'
import type { KeyManager } from '../keys/key-manager.js'
import { signJwt } from '../keys/sign-jwt.js'

/** DID resolution failures that no retry can fix: the issuer DID itself is wrong. */
const unknownIssuerCodes = new Set<ErrorCode>(['ERR_DID_INVALID', 'ERR_DID_METHOD_UNSUPPORTED', 'ERR_DID_NOT_FOUND'])

/**
 * A failed exchange with an issuer. `retryable` failures, such as a network error, a timeout or a
 * 5xx status, may succeed later; the others need a change on one side first.
 */
export class IssuerExchangeError extends AppError {
  readonly retryable: boolean

  constructor(code: ErrorCode, message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'IssuerExchangeError'
    this.retryable = retryable
  }
}

/** The status of a request as the issuer's `GET /requests/{issuerPid}` returns it. */
export type IssuerRequestStatus = 'RECEIVED' | 'ISSUED' | 'REJECTED'

export interface IssuerClientOptions {
  resolver: Pick<DidResolver, 'resolveDocument'>
  keyManager: KeyManager
  /** Address, redirect and size rules of DID resolution, for the metadata fetch. */
  fetchOptions: Omit<GuardedFetchOptions, 'timeoutMs'>
  post: Omit<GuardedPostOptions, 'timeoutMs'>
  timeoutMs: number
  /** Lifetime of the Self-Issued ID token sent with each call. */
  tokenTtlSeconds: number
}

/** Credentials to request: CredentialObject ids, or credential types to look up in the metadata. */
export interface RequestedCredentials {
  credentialObjectIds: string[]
  credentialTypes: string[]
}

/**
 * The holder's side of the DCP Credential Request API: finds an issuer's Issuer Service through
 * its DID document, reads its metadata, sends CredentialRequestMessages and polls their status.
 * Each call carries a Self-Issued ID token of the holder addressed to the issuer DID.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#credential-request-api
 */
export class IssuerClient {
  readonly #options: IssuerClientOptions

  constructor(options: IssuerClientOptions) {
    this.#options = options
  }

  /** Returns the base URL of the issuer's Issuer Service, without a trailing slash. */
  async issuerServiceOf(issuerDid: string): Promise<string> {
    let document: DIDDocument
    try {
      document = await this.#options.resolver.resolveDocument(issuerDid)
    } catch (error) {
      if (error instanceof DidError && unknownIssuerCodes.has(error.code)) {
        throw new IssuerExchangeError('ERR_CREDENTIAL_REQUEST_ISSUER_UNKNOWN', `issuer DID ${JSON.stringify(issuerDid)}: ${error.message}`, false)
      }
      const reason = error instanceof Error ? error.message : String(error)
      throw new IssuerExchangeError('ERR_CREDENTIAL_REQUEST_ISSUER_UNAVAILABLE', `resolving issuer DID ${JSON.stringify(issuerDid)} failed: ${reason}`, true, { cause: error })
    }
    const service = (document.service ?? []).find((entry) => entry.type === 'IssuerService')
    if (!service || typeof service.serviceEndpoint !== 'string') {
      throw new IssuerExchangeError(
        'ERR_CREDENTIAL_REQUEST_ISSUER_SERVICE_MISSING',
        `DID document of ${JSON.stringify(issuerDid)} has no IssuerService entry with a URL`,
        false,
      )
    }
    return service.serviceEndpoint.replace(/\/+$/, '')
  }

  /**
   * Returns the CredentialObject ids to request: the given ids, each checked against the
   * metadata's `credentialsSupported`, followed by the ids of the entries whose `credentialType`
   * is a requested type.
   */
  async resolveCredentialObjectIds(base: string, requested: RequestedCredentials): Promise<string[]> {
    const supported = await this.#fetchCredentialsSupported(base)
    const ids: string[] = []
    for (const id of requested.credentialObjectIds) {
      if (!supported.some((entry) => entry.id === id)) throw unknownCredential(`issuer metadata at ${base}/metadata lists no credential with id ${JSON.stringify(id)}`)
      ids.push(id)
    }
    for (const type of requested.credentialTypes) {
      const matches = supported.filter((entry) => entry.credentialType === type).map((entry) => entry.id)
      if (matches.length === 0) throw unknownCredential(`issuer metadata at ${base}/metadata lists no credential of type ${JSON.stringify(type)}`)
      ids.push(...matches)
    }
    return [...new Set(ids)]
  }

  /** Sends a CredentialRequestMessage and returns the issuerPid from the `Location` header, if any. */
  async sendRequest(
    base: string,
    holder: { did: string },
    issuerDid: string,
    message: { holderPid: string; credentialObjectIds: string[] },
  ): Promise<string | null> {
    const url = new URL(`${base}/credentials`)
    const body = {
      '@context': [dcpContextV1],
      type: 'CredentialRequestMessage',
      holderPid: message.holderPid,
      credentials: message.credentialObjectIds.map((id) => ({ id })),
    }
    const response = await this.#exchange('POST', url, body, holder.did, issuerDid)
    if (response.status < 200 || response.status > 299) throw statusError('POST', url, response)
    const location = response.headers.location
    // The issuerPid is the last path segment of the status URL, as the DCP Credential Request API defines it.
    return typeof location === 'string' && location !== '' ? decodeURIComponent(location.replace(/\/+$/, '').split('/').at(-1)!) : null
  }

  /** Reads the issuer's status of a request. */
  async requestStatus(base: string, holder: { did: string }, issuerDid: string, issuerPid: string): Promise<IssuerRequestStatus> {
    const url = new URL(`${base}/requests/${encodeURIComponent(issuerPid)}`)
    const response = await this.#exchange('GET', url, undefined, holder.did, issuerDid)
    if (response.status !== 200) throw statusError('GET', url, response)
    const status = parseJson(response.body)?.status
    if (status !== 'RECEIVED' && status !== 'ISSUED' && status !== 'REJECTED') {
      throw new IssuerExchangeError('ERR_CREDENTIAL_REQUEST_ISSUER_UNAVAILABLE', `GET ${url.href} returned no CredentialStatus with a known "status"`, true)
    }
    return status
  }

  async #fetchCredentialsSupported(base: string): Promise<Array<{ id: string; credentialType: unknown }>> {
    const url = new URL(`${base}/metadata`)
    let body: unknown
    try {
      ;({ body } = await guardedFetchJson(url, { ...this.#options.fetchOptions, timeoutMs: this.#options.timeoutMs, accept: 'application/json' }))
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new IssuerExchangeError('ERR_CREDENTIAL_REQUEST_ISSUER_UNAVAILABLE', `reading issuer metadata at ${url.href} failed: ${reason}`, true, { cause: error })
    }
    const supported = isObject(body) ? body.credentialsSupported : undefined
    if (!Array.isArray(supported)) {
      throw unknownCredential(`issuer metadata at ${url.href} has no "credentialsSupported" array`)
    }
    return supported.filter((entry): entry is { id: string; credentialType: unknown } => isObject(entry) && typeof entry.id === 'string')
  }

  async #exchange(method: 'GET' | 'POST', url: URL, body: unknown, holderDid: string, issuerDid: string) {
    const token = await signJwt(this.#options.keyManager, holderDid, 'sign_token', { typ: 'JWT' }, this.#tokenClaims(holderDid, issuerDid))
    try {
      return await guardedExchange(method, url, body, { authorization: `Bearer ${token}` }, {
        ...this.#options.post,
        timeoutMs: this.#options.timeoutMs,
      })
    } catch (error) {
      if (!(error instanceof OutboundRequestError)) throw error
      throw new IssuerExchangeError('ERR_CREDENTIAL_REQUEST_ISSUER_UNAVAILABLE', error.message, true, { cause: error })
    }
  }

  /** Claims of the holder's Self-Issued ID token; `iat` is a second back because receivers allow little clock skew. */
  #tokenClaims(holderDid: string, issuerDid: string) {
    const iat = Math.floor(Date.now() / 1000) - 1
    return { iss: holderDid, sub: holderDid, aud: issuerDid, jti: randomUUID(), iat, exp: iat + this.#options.tokenTtlSeconds }
  }
}

/** 408, 425, 429 and 5xx may pass on a later attempt; any other status is the issuer's decision. */
function statusError(method: string, url: URL, response: { status: number; body: string }): IssuerExchangeError {
  const retryable = response.status >= 500 || [408, 425, 429].includes(response.status)
  const body = parseJson(response.body)
  let detail = ''
  if (body && typeof body.error === 'string') {
    detail = `: ${body.error}`
    if (typeof body.message === 'string') detail += ` ${body.message}`
  }
  const code = retryable ? 'ERR_CREDENTIAL_REQUEST_ISSUER_UNAVAILABLE' : 'ERR_CREDENTIAL_REQUEST_REFUSED'
  return new IssuerExchangeError(code, `${method} ${url.href} returned status ${response.status}${detail}`, retryable)
}

function unknownCredential(message: string): IssuerExchangeError {
  return new IssuerExchangeError('ERR_CREDENTIAL_REQUEST_CREDENTIAL_UNKNOWN', message, false)
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return isObject(value) ? value : undefined
  } catch {
    return undefined
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
