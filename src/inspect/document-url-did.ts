import { AppError } from '../errors/app-error.js'

/**
 * Maps the URL of a did:web DID document back to its DID, the inverse of the did:web rule:
 * `https://host/.well-known/did.json` is `did:web:host`, `https://host:8443/a/b/did.json` is
 * `did:web:host%3A8443:a:b`. Throws `ERR_REQUEST_INVALID` for a URL that no did:web DID maps to.
 * @see https://w3c-ccg.github.io/did-method-web/#read-resolve
 */
export function didOfDocumentUrl(url: URL): string {
  const host = url.port === '' ? url.hostname : `${url.hostname}%3A${url.port}`
  if (url.pathname === '/.well-known/did.json') return `did:web:${host}`
  if (!url.pathname.endsWith('/did.json') || url.search !== '' || url.hash !== '') {
    throw new AppError('ERR_REQUEST_INVALID', `${JSON.stringify(url.href)} is not a did:web document URL; expected a path ending in /did.json`)
  }
  const segments = url.pathname.slice(1, -'/did.json'.length).split('/')
  return `did:web:${host}:${segments.join(':')}`
}
