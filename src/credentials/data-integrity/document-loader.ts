import type { DIDDocument, VerificationMethod } from 'did-resolver'
import type { DidResolver } from '../../did/resolver.js'
import { AppError } from '../../errors/app-error.js'
import { bundledContext } from './bundled-contexts.js'

/** The result shape that jsonld.js and jsonld-signatures expect from a document loader. */
export interface RemoteDocument {
  contextUrl: null
  documentUrl: string
  document: unknown
}

export type DocumentLoader = (url: string) => Promise<RemoteDocument>

/**
 * Creates the JSON-LD document loader of Data Integrity signing and verification. It returns
 * bundled contexts, and DID documents or their verification methods through the service's DID
 * resolver, which applies the SSRF guard and cache. Any other URL fails with
 * ERR_JSONLD_CONTEXT_UNKNOWN and causes no network request.
 */
export function createDocumentLoader(resolver?: Pick<DidResolver, 'resolveDocument'>): DocumentLoader {
  return async (url: string) => {
    if (url.startsWith('did:')) {
      if (resolver === undefined) throw new AppError('ERR_JSONLD_CONTEXT_UNKNOWN', `the DID URL ${JSON.stringify(url)} cannot be dereferenced while signing, because only bundled contexts are loaded`)
      return { contextUrl: null, documentUrl: url, document: await dereferenceDidUrl(resolver, url) }
    }
    return { contextUrl: null, documentUrl: url, document: bundledContext(url) }
  }
}

/**
 * Returns the DID document for a DID, or the verification method for a DID URL with a fragment,
 * with the document's `@context` so that JSON-LD processors read its terms.
 */
async function dereferenceDidUrl(resolver: Pick<DidResolver, 'resolveDocument'>, url: string): Promise<unknown> {
  const [did = '', fragment] = url.split('#', 2)
  const document = await resolver.resolveDocument(did)
  if (fragment === undefined) return document
  const method = findMethod(document, did, fragment)
  if (method === undefined) {
    throw new AppError('ERR_CREDENTIAL_INVALID', `the DID document of ${JSON.stringify(did)} has no verification method ${JSON.stringify(url)}`)
  }
  return { '@context': document['@context'], ...method, id: url }
}

function findMethod(document: DIDDocument, did: string, fragment: string): VerificationMethod | undefined {
  const absolute = `${did}#${fragment}`
  return document.verificationMethod?.find((method) => method.id === absolute || method.id === `#${fragment}`)
}
