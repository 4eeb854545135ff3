import { isIPv6 } from 'node:net'
import type { HostRule } from '../did/host-allow-list.js'
import type { KeyRelationshipPolicy } from '../did/verification-method.js'
import * as parse from './parsers.js'
import { variable, type SectionReader } from './variable.js'

/** Variables of did:web resolution: http allow list, timeouts, size cap and cache. */
export const didVariables = {
  DID_WEB_HTTP_HOSTS: variable({
    parse: hostList,
    unit: 'host or host:port list',
    description:
      'Comma-separated hosts whose did:web documents are fetched over http and may sit on private or loopback addresses, for development and in-cluster names. A host without a port covers every port; write IPv6 as [::1]:8080. Unset: every DID document is fetched over https from public addresses only.',
  }),
  DID_MAX_REDIRECTS: variable({
    parse: parse.integer(0, 10),
    default: 3,
    unit: 'redirects',
    description: 'Redirects followed when fetching a DID document; each must lead to https.',
  }),
  DID_RESOLVE_TIMEOUT_MS: variable({
    parse: parse.integer(100, 60_000),
    default: 5000,
    unit: 'milliseconds',
    description: 'Time limit of one DID document fetch, from the DNS lookup to the last byte, redirects included.',
  }),
  DID_DOCUMENT_MAX_BYTES: variable({
    parse: parse.integer(1024, 16 * 1024 * 1024),
    default: 256 * 1024,
    unit: 'bytes',
    description: 'Largest DID document accepted; the download stops as soon as the body grows past it.',
  }),
  DID_CACHE_TTL_SECONDS: variable({
    parse: parse.integer(0, 86_400),
    default: 300,
    unit: 'seconds',
    description: 'Time a resolved DID document stays cached; 0 turns caching of documents off.',
  }),
  DID_CACHE_NEGATIVE_TTL_SECONDS: variable({
    parse: parse.integer(0, 3600),
    default: 30,
    unit: 'seconds',
    description: 'Time a failed resolution stays cached, so repeated lookups of a broken DID do not refetch it.',
  }),
  DID_CACHE_MAX_BYTES: variable({
    parse: parse.integer(0, 1024 * 1024 * 1024),
    default: 8 * 1024 * 1024,
    unit: 'bytes',
    description:
      'Memory budget of the DID resolution cache, counted as the JSON size of the cached results; the least recently used entries go first.',
  }),
  DID_ALLOW_MISSING_CONTENT_TYPE: variable({
    parse: parse.boolean,
    default: false,
    unit: 'boolean',
    description:
      'Read a DID document served without a Content-Type header as JSON, for hosts that omit the header, such as the DCP TCK 1.0.0-RC6. Off: such a document is rejected. A content type other than JSON is always rejected.',
  }),
  DID_KEY_RELATIONSHIPS: variable({
    parse: parse.oneOf<KeyRelationshipPolicy>(['strict', 'any-listed']),
    default: 'strict' as KeyRelationshipPolicy,
    unit: 'strict or any-listed',
    description:
      'Which verification methods of a DID document may sign. strict: only a method that the relationship of its use references (capabilityInvocation for SI tokens, authentication for presentations, assertionMethod for credentials), as DCP 1.0 requires. any-listed: when the document has no such relationship property at all, any method in its verificationMethod list, for peers whose documents predate DCP 1.0, such as DCP 0.8 connectors and the DCP TCK 1.0.0-RC6.',
  }),
} as const

/** Settings of the did:web resolver. */
export interface DidConfig {
  httpHosts: readonly HostRule[]
  maxRedirects: number
  resolveTimeoutMs: number
  documentMaxBytes: number
  cacheTtlSeconds: number
  cacheNegativeTtlSeconds: number
  cacheMaxBytes: number
  allowMissingContentType: boolean
  keyRelationships: KeyRelationshipPolicy
}

export function readDidConfig(read: SectionReader<typeof didVariables>, _problems: string[]): DidConfig {
  return {
    httpHosts: read('DID_WEB_HTTP_HOSTS') ?? [],
    maxRedirects: read('DID_MAX_REDIRECTS') ?? 3,
    resolveTimeoutMs: read('DID_RESOLVE_TIMEOUT_MS') ?? 5000,
    documentMaxBytes: read('DID_DOCUMENT_MAX_BYTES') ?? 256 * 1024,
    cacheTtlSeconds: read('DID_CACHE_TTL_SECONDS') ?? 300,
    cacheNegativeTtlSeconds: read('DID_CACHE_NEGATIVE_TTL_SECONDS') ?? 30,
    cacheMaxBytes: read('DID_CACHE_MAX_BYTES') ?? 8 * 1024 * 1024,
    allowMissingContentType: read('DID_ALLOW_MISSING_CONTENT_TYPE') ?? false,
    keyRelationships: read('DID_KEY_RELATIONSHIPS') ?? 'strict',
  }
}

const bracketedHost = /^\[([^\]]+)\](?::(\d+))?$/
const plainHost = /^([a-z0-9.-]+)(?::(\d+))?$/i

/** Parses `host`, `host:port`, `[ipv6]` and `[ipv6]:port` entries, separated by commas. */
export function hostList(raw: string): readonly HostRule[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(hostRule)
}

function hostRule(entry: string): HostRule {
  const match = bracketedHost.exec(entry) ?? plainHost.exec(entry)
  const hostname = match?.[1]?.toLowerCase()
  if (hostname === undefined || (entry.startsWith('[') && !isIPv6(hostname))) {
    throw new TypeError(`"${entry}" is not a host; expected host or host:port, such as localhost:8080`)
  }
  const port = match?.[2] === undefined ? undefined : Number(match[2])
  if (port !== undefined && (port < 1 || port > 65535)) {
    throw new TypeError(`"${entry}" has port ${port}; expected a port from 1 to 65535`)
  }
  return port === undefined ? { hostname, scheme: 'http' } : { hostname, port, scheme: 'http' }
}
