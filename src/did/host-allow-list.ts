/**
 * An allow-list entry: a host that may be reached over plain http or that may resolve to a
 * private, loopback or otherwise non-public address.
 */
export interface HostRule {
  /** Lower-case host name or IP address; IPv6 without brackets. */
  readonly hostname: string
  /** The only port the rule covers; absent means every port. */
  readonly port?: number
  /**
   * Scheme of the DID document URL of a `did:web` DID on this host: `http` for development and
   * in-cluster names, `https` for a host whose certificate comes from a private authority.
   */
  readonly scheme: 'http' | 'https'
}

/** Hosts exempt from the https requirement or the address check of DID document fetches. */
export class HostAllowList {
  readonly #rules: readonly HostRule[]

  constructor(rules: readonly HostRule[]) {
    this.#rules = rules.map((rule) => ({ ...rule, hostname: normalizeHostname(rule.hostname) }))
  }

  /** Returns the first rule that covers the host and port, limited to one scheme when given. */
  find(hostname: string, port: number, scheme?: 'http' | 'https'): HostRule | undefined {
    const name = normalizeHostname(hostname)
    return this.#rules.find(
      (rule) =>
        rule.hostname === name &&
        (rule.port === undefined || rule.port === port) &&
        (scheme === undefined || rule.scheme === scheme),
    )
  }

  /**
   * Returns the scheme of a DID document URL from the first rule that covers the host. A DID
   * without a port means the default port of the rule's scheme, so `did:web:svc` matches the
   * rule `svc:80` with scheme http.
   */
  schemeFor(hostname: string, port: number | undefined): 'http' | 'https' {
    const name = normalizeHostname(hostname)
    const rule = this.#rules.find(
      (candidate) =>
        candidate.hostname === name &&
        (candidate.port === undefined || candidate.port === (port ?? defaultPort(candidate.scheme))),
    )
    return rule?.scheme ?? 'https'
  }
}

export function defaultPort(scheme: 'http' | 'https'): number {
  return scheme === 'http' ? 80 : 443
}

function normalizeHostname(hostname: string): string {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
  return bare.toLowerCase()
}
