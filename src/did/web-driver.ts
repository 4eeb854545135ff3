import type { DIDResolutionResult, DIDResolver, ParsedDID } from 'did-resolver'
import { checkDidDocument } from './did-document-check.js'
import { DidError, quoteRemote } from './did-error.js'
import { didWebDocumentUrl } from './did-web-url.js'
import { guardedFetchJson, type GuardedFetchOptions } from './guarded-fetch.js'
import { failedResult, resolvedResult } from './resolution-result.js'

/**
 * Builds the `did:web` method resolver for a `did-resolver` `Resolver`, with the same DID to URL
 * mapping as `web-did-resolver` but fetching through the guarded fetch. Failures are returned as
 * data, and a document whose id differs from the DID is never returned.
 */
export function getDidWebResolver(options: GuardedFetchOptions): { web: DIDResolver } {
  return { web: (did, parsed) => resolveDidWeb(did, parsed, options) }
}

async function resolveDidWeb(
  did: string,
  parsed: ParsedDID,
  options: GuardedFetchOptions,
): Promise<DIDResolutionResult> {
  try {
    // did:web defines no DID parameters, so a query could only be ignored; rejecting it keeps a
    // request for a version from being served the current document.
    if (parsed.query !== undefined) {
      throw new DidError(
        'ERR_DID_INVALID',
        `DID URL ${quoteRemote(parsed.didUrl)} has a query, which did:web does not support`,
      )
    }
    const url = didWebDocumentUrl(did, options.allowList)
    const response = await guardedFetchJson(url, options)
    return resolvedResult(checkDidDocument(response.body, did))
  } catch (error) {
    if (error instanceof DidError) return failedResult(error)
    throw error
  }
}
