import { DidError, quoteRemote } from './did-error.js'
import type { HostAllowList } from './host-allow-list.js'

/** One `idchar` of DID Core: an unreserved character or a percent-encoded octet. */
const segmentPattern = /^(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+$/
const hostPattern = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/i

/**
 * Maps a `did:web` DID to the URL of its DID document, as the did:web method specification
 * does: `did:web:host` becomes `https://host/.well-known/did.json`, `did:web:host:a:b` becomes
 * `https://host/a/b/did.json`, and `%3A` in the host encodes a port. Hosts on the allow list
 * take the scheme of their rule. Throws `ERR_DID_INVALID` for anything else.
 *
 * Path segments are percent-decoded and encoded again, so an encoded `/` stays inside its
 * segment, and `.` or `..` segments are rejected, because either would let a DID name a
 * document outside its own path.
 * @see https://w3c-ccg.github.io/did-method-web/#read-resolve
 */
export function didWebDocumentUrl(did: string, allowList: HostAllowList): URL {
  if (!did.startsWith('did:web:')) throw invalid(did, 'expected a DID that starts with "did:web:"')
  const [hostPart = '', ...pathParts] = did.slice('did:web:'.length).split(':')
  for (const part of [hostPart, ...pathParts]) {
    if (!segmentPattern.test(part)) {
      throw invalid(did, `segment ${quoteRemote(part)} is empty or has a character outside the DID syntax`)
    }
  }

  const { hostname, port } = parseHost(did, hostPart)
  const scheme = allowList.schemeFor(hostname, port)
  const path =
    pathParts.length === 0
      ? '/.well-known/did.json'
      : `/${pathParts.map((part) => pathSegment(did, part)).join('/')}/did.json`
  const url = new URL(`${scheme}://${hostname}${port === undefined ? '' : `:${port}`}${path}`)
  if (url.hostname !== hostname) throw invalid(did, `host ${quoteRemote(hostname)} is not in canonical form`)
  return url
}

function parseHost(did: string, hostPart: string): { hostname: string; port?: number } {
  const match = hostPattern.exec(decode(did, hostPart))
  const hostname = match?.[1]?.toLowerCase()
  if (hostname === undefined) {
    throw invalid(did, `host ${quoteRemote(hostPart)} is not a host name with an optional %3A port`)
  }
  if (match?.[2] === undefined) return { hostname }

  const port = Number(match[2])
  if (port < 1 || port > 65535) throw invalid(did, `port ${port} is out of range 1 to 65535`)
  return { hostname, port }
}

function pathSegment(did: string, part: string): string {
  const segment = decode(did, part)
  if (segment === '.' || segment === '..') throw invalid(did, `path segment ${quoteRemote(part)} is a dot segment`)
  return encodeURIComponent(segment)
}

function decode(did: string, text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    throw invalid(did, `${quoteRemote(text)} has an invalid percent-encoding`)
  }
}

function invalid(did: string, reason: string): DidError {
  return new DidError('ERR_DID_INVALID', `invalid did:web DID ${quoteRemote(did)}: ${reason}`)
}
