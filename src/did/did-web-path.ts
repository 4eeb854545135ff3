/**
 * The mapping between a did:web DID and the HTTP path of its document.
 * @see https://w3c-ccg.github.io/did-method-web/#read-resolve
 *
 * A DID's "path" here is the part after the host, as stored in the database: `""` for
 * `did:web:example.com` and `":a:b"` for `did:web:example.com%3A8443:a:b`. The host, with a
 * port encoded as `%3A`, never selects a document: the same path serves every host name.
 */

const hostDocumentPath = '/.well-known/did.json'
const documentName = '/did.json'

/** Returns the DID's path: `""` for a host DID, `":a:b"` for `did:web:host:a:b`. */
export function didPathOf(did: string): string {
  const match = /^did:web:[^:]+(.*)$/.exec(did)
  if (!match) throw new TypeError(`"${did}" is not a did:web DID`)
  return match[1]!
}

/** Returns the URL path where the document of a did:web DID is served. */
export function documentPathOf(did: string): string {
  const path = didPathOf(did)
  return path === '' ? hostDocumentPath : `${path.split(':').join('/')}${documentName}`
}

/**
 * Returns the DID path a request path asks for, or undefined when it names no DID document.
 * `/.well-known/did.json` asks for the host DID, `/a/b/did.json` for `did:web:<host>:a:b`.
 */
export function didPathOfRequest(urlPath: string): string | undefined {
  if (urlPath === hostDocumentPath) return ''
  if (!urlPath.endsWith(documentName)) return undefined
  const segments = urlPath.slice(1, -documentName.length).split('/')
  // Segments follow the did:web path pattern; anything else (empty, encoded) cannot match a DID.
  if (segments.some((segment) => !/^[A-Za-z0-9._~-]+$/.test(segment))) return undefined
  return `:${segments.join(':')}`
}
