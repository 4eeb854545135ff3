import { randomUUID } from 'node:crypto'
import type { JWTPayload } from 'jose'
import type { TokenConfig } from '../config/token-variables.js'
import { splitScopeList } from '../dcp/scope.js'
import { AppError } from '../errors/app-error.js'
import { ExpiringCache } from '../keys/expiring-cache.js'
import type { KeyManager } from '../keys/key-manager.js'
import { signJwt, type JwtHeader } from '../keys/sign-jwt.js'
import { secretMatches } from '../participants/api-key-secret.js'
import type { Queryable } from '../storage/database.js'
import { findStsClientCredential, type StsClientCredential } from '../storage/sts-client-repository.js'
import { mintAccessToken } from '../tokens/access-token.js'
import type { AccessTokenKeys } from '../tokens/access-token-keys.js'

/** Frozen, so its encoding is reused for every token of a key. */
const siTokenHeader: JwtHeader = Object.freeze({ typ: 'JWT' })

/** The fields of an STS token request, as the connector posts them. */
export interface StsTokenRequest {
  clientId: string
  clientSecret: string
  audience: string
  /** Space-separated scopes for a new access token. */
  bearerAccessScope?: string
  /** A token to embed unparsed, such as a verifier's access token or a foreign RS256 token. */
  token?: string
}

export interface StsTokenResponse {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
}

export interface SecureTokenServiceOptions {
  db: Queryable
  keyManager: KeyManager
  accessTokenKeys: AccessTokenKeys
  tokens: TokenConfig
  /**
   * How long a client lookup is cached. Other replicas drop it when notified of a change, and take a
   * rotated secret within this time while notifications do not arrive.
   */
  clientCacheTtlSeconds?: number
  now?: () => number
}

/**
 * Mints Self-Issued ID tokens for the connector of each participant, as an OAuth 2.0
 * client-credentials endpoint: `iss` = `sub` = the participant DID, `aud` = the requested
 * audience, a fresh `jti`, and in `token` either a new access token or the given token verbatim.
 */
export class SecureTokenService {
  readonly #options: SecureTokenServiceOptions
  readonly #clients: ExpiringCache<string, StsClientCredential | null>
  /**
   * The secret that last matched each cached client, so a token request skips hashing it: that
   * hash took 5 to 7 µs of the event loop, about a tenth of a request. An entry ends with its
   * cached client, within `clientCacheTtlSeconds`. Memory already contains more valuable secrets:
   * the access token keys, and private keys under local and kms-envelope custody.
   */
  readonly #matchedSecrets = new WeakMap<StsClientCredential, string>()
  /** Counts forgetClients calls, so a lookup that overlaps one is not cached. */
  #generation = 0

  constructor(options: SecureTokenServiceOptions) {
    this.#options = options
    this.#clients = new ExpiringCache({
      ttlMs: (options.clientCacheTtlSeconds ?? 5) * 1000,
      maxEntries: 10_000,
      ...(options.now ? { now: options.now } : {}),
    })
  }

  issue(request: StsTokenRequest): Promise<StsTokenResponse> {
    // With the client cached, nothing is awaited before the signature. That saves the event loop
    // several microtask turns per token, so the functions on this path are not async.
    const cached = this.#clients.get(request.clientId)
    if (cached === undefined) {
      return this.authenticate(request.clientId, request.clientSecret).then((client) => this.issueFor(client, request))
    }
    try {
      return this.issueFor(this.#verified(activeOnly(cached), request.clientId, request.clientSecret), request)
    } catch (error) {
      // A rejected client becomes a rejected promise, like every other failed token request.
      return Promise.reject(error)
    }
  }

  /** Mints an SI token for a client that is already authenticated, such as by a DIM bearer token. */
  issueFor(client: StsClientCredential, request: Omit<StsTokenRequest, 'clientId' | 'clientSecret'>): Promise<StsTokenResponse> {
    try {
      const { tokens, accessTokenKeys } = this.#options
      const nowSeconds = Math.floor(this.#now() / 1000)
      const scopes = splitScopeList(request.bearerAccessScope)
      if (scopes.length === 0) return this.#sign(client, request.audience, request.token, nowSeconds)
      return mintAccessToken(
        accessTokenKeys,
        client.participantId,
        { holderDid: client.participantDid, verifierDid: request.audience, scopes },
        { ttlSeconds: tokens.accessTokenTtlSeconds, nowSeconds },
      ).then((accessToken) => this.#sign(client, request.audience, accessToken, nowSeconds))
    } catch (error) {
      // Not an async function, so a failure is turned into a rejection here, as callers expect.
      return Promise.reject(error)
    }
  }

  /** Forgets cached client lookups, after a secret changed in this process. */
  forgetClients(): void {
    this.#clients.clear()
    this.#generation += 1
  }

  /**
   * Forgets the cached client of a participant whose client or state changed, on this replica or
   * another, and every client id cached as unknown, which a new client may now have.
   */
  forgetParticipant(participantId: string): void {
    this.#clients.deleteWhere((_clientId, client) => client === null || client.participantId === participantId)
    this.#generation += 1
  }

  /** Returns the client when the secret matches and its participant is active, and throws ERR_STS_CLIENT_INVALID otherwise. */
  async authenticate(clientId: string, clientSecret: string): Promise<StsClientCredential> {
    return this.#verified(await this.findActiveClient(clientId), clientId, clientSecret)
  }

  /** Returns the client of an active participant, from a cache of `clientCacheTtlSeconds`, or undefined. */
  async findActiveClient(clientId: string): Promise<StsClientCredential | undefined> {
    let client = this.#clients.get(clientId)
    if (client === undefined) {
      const generation = this.#generation
      client = (await findStsClientCredential(this.#options.db, clientId)) ?? null
      // A read that started before forgetClients may return the row before the change, and
      // caching it would bring the old secret back for the cache's lifetime.
      if (generation === this.#generation) this.#clients.set(clientId, client)
    }
    return activeOnly(client)
  }

  #verified(client: StsClientCredential | undefined, clientId: string, clientSecret: string): StsClientCredential {
    if (!client || !this.#secretMatches(client, clientSecret)) {
      throw new AppError('ERR_STS_CLIENT_INVALID', `client authentication failed for client_id ${JSON.stringify(clientId)}${decodedDidHint(clientId)}`)
    }
    return client
  }

  #sign(client: StsClientCredential, audience: string, embedded: string | undefined, nowSeconds: number): Promise<StsTokenResponse> {
    const { tokens, keyManager } = this.#options
    const did = client.participantDid
    const payload: JWTPayload = {
      iss: did,
      sub: did,
      aud: audience,
      jti: randomUUID(),
      iat: nowSeconds,
      exp: nowSeconds + tokens.selfIssuedTokenTtlSeconds,
      ...(embedded === undefined ? {} : { token: embedded }),
    }
    // The signature is nearly all the work of a token request, so it runs beside the event loop.
    return signJwt(keyManager, did, 'sign_token', siTokenHeader, payload, { onThreadPool: true }).then((accessToken) => ({
      access_token: accessToken,
      token_type: 'Bearer' as const,
      expires_in: tokens.selfIssuedTokenTtlSeconds,
    }))
  }

  #secretMatches(client: StsClientCredential, secret: string): boolean {
    const matched = this.#matchedSecrets.get(client)
    if (matched !== undefined && constantTimeEqual(matched, secret)) return true
    if (!secretMatches(secret, client.secretHash)) return false
    this.#matchedSecrets.set(client, secret)
    return true
  }

  #now(): number {
    return (this.#options.now ?? Date.now)()
  }
}

function activeOnly(client: StsClientCredential | null): StsClientCredential | undefined {
  return client && client.participantState === 'active' ? client : undefined
}

/**
 * Compares a presented string with a known one in time that depends on the presented length only,
 * so neither the known content nor its length leaks.
 */
function constantTimeEqual(known: string, presented: string): boolean {
  let difference = known.length ^ presented.length
  for (let i = 0; i < presented.length; i++) {
    const knownCode = i < known.length ? known.charCodeAt(i) : 0
    difference |= knownCode ^ presented.charCodeAt(i)
  }
  return difference === 0
}

/**
 * Explains the most common cause of a failed client id: a did:web DID with a port, sent in a form
 * without URL-encoding, arrives with `%3A` decoded to a colon and names another DID.
 */
function decodedDidHint(clientId: string): string {
  if (!/^did:web:[^:%]+:\d+(:|$)/.test(clientId)) return ''
  return '; a did:web client id with a port has "%3A" before the port, so URL-encode the form field (curl --data-urlencode)'
}
