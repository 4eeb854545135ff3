import type { DIDDocument } from 'did-resolver'
import { guardedFetchJson, type GuardedFetchOptions } from '../did/guarded-fetch.js'
import type { DidResolver } from '../did/resolver.js'
import { AppError } from '../errors/app-error.js'
import type { Logger } from '../observability/logger.js'
import {
  claimPendingOffers,
  recordOfferCompletion,
  type StoredCredentialOffer,
} from '../storage/credential-offer-repository.js'
import type { Queryable } from '../storage/database.js'

/**
 * Time a claimed offer is reserved for one replica: longer than its two fetches (the DID
 * document and the metadata) may take, each at most DID_RESOLVE_TIMEOUT_MS, which is capped at 60 s.
 */
const claimSeconds = 180

export interface OfferCompletionOptions {
  db: Queryable
  resolver: Pick<DidResolver, 'resolveDocument'>
  /** Address, redirect, time and size rules of DID resolution. */
  fetchOptions: GuardedFetchOptions
  logger: Logger
  /** Attempts before an offer is marked failed. */
  maxAttempts: number
}

/** Tells whether an offered `CredentialObject` carries only its id and needs the issuer's metadata. */
export function isSparseEntry(entry: Record<string, unknown>): boolean {
  return typeof entry.credentialType !== 'string'
}

/**
 * Completes the sparse entries of pending offers from the `credentialsSupported` of each
 * issuer's metadata: resolve the issuer DID, take its `IssuerService` endpoint, and fetch
 * `/metadata`. Entries whose id the metadata lacks stay sparse. A failed fetch is retried on the
 * next run, until `maxAttempts`.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#credential-offer-api
 */
export async function completePendingOffers(options: OfferCompletionOptions, batchSize: number): Promise<number> {
  // One claim per offer, so that a claim is never held while earlier offers are processed.
  const tried: string[] = []
  while (tried.length < batchSize) {
    const [offer] = await claimPendingOffers(options.db, { limit: 1, claimSeconds, excludeIds: tried })
    if (!offer) break
    tried.push(offer.id)
    await completeOffer(options, offer)
  }
  return tried.length
}

async function completeOffer(options: OfferCompletionOptions, offer: StoredCredentialOffer): Promise<void> {
  const { db, logger } = options
  try {
    const supported = await fetchCredentialsSupported(options, offer.issuerDid)
    const credentials = offer.credentials.map((entry) => mergeEntry(entry, supported))
    const missing = credentials.filter(isSparseEntry).map((entry) => entry.id)
    await recordOfferCompletion(db, offer.id, { credentials, state: 'complete', error: null })
    if (missing.length > 0) logger.info({ offerId: offer.id, issuer: offer.issuerDid, missing }, 'offered credential ids not found in issuer metadata')
  } catch (error) {
    // The claim already counted this attempt.
    const lastAttempt = offer.completionAttempts >= options.maxAttempts
    const message = error instanceof AppError ? error.message : 'unexpected failure'
    await recordOfferCompletion(db, offer.id, { credentials: offer.credentials, state: lastAttempt ? 'failed' : 'pending', error: message })
    logger.warn({ err: error, offerId: offer.id, issuer: offer.issuerDid, lastAttempt }, lastAttempt ? 'offer completion failed; giving up' : 'offer completion failed; retrying at the next interval')
  }
}

async function fetchCredentialsSupported(options: OfferCompletionOptions, issuerDid: string): Promise<Map<string, Record<string, unknown>>> {
  const document = await options.resolver.resolveDocument(issuerDid)
  const endpoint = issuerServiceOf(document)
  const metadataUrl = new URL(`${endpoint.replace(/\/+$/, '')}/metadata`)
  const { body } = await guardedFetchJson(metadataUrl, options.fetchOptions)
  const supported = isObject(body) ? body.credentialsSupported : undefined
  if (!Array.isArray(supported)) {
    throw new AppError('ERR_OFFER_COMPLETION_FAILED', `issuer metadata at ${JSON.stringify(metadataUrl.href)} has no "credentialsSupported" array`)
  }
  const byId = new Map<string, Record<string, unknown>>()
  for (const entry of supported) if (isObject(entry) && typeof entry.id === 'string') byId.set(entry.id, entry)
  return byId
}

function issuerServiceOf(document: DIDDocument): string {
  const service = (document.service ?? []).find((entry) => entry.type === 'IssuerService')
  if (!service || typeof service.serviceEndpoint !== 'string') {
    throw new AppError('ERR_OFFER_COMPLETION_FAILED', `DID document of ${JSON.stringify(document.id)} has no IssuerService entry with a URL`)
  }
  return service.serviceEndpoint
}

/** Fills a sparse entry from the metadata entry with its id; what the offer itself sent wins. */
function mergeEntry(entry: Record<string, unknown>, supported: Map<string, Record<string, unknown>>): Record<string, unknown> {
  const known = isSparseEntry(entry) && typeof entry.id === 'string' ? supported.get(entry.id) : undefined
  return known ? { ...known, ...entry } : entry
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
