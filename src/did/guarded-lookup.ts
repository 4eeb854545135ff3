import type { LookupAddress } from 'node:dns'
import { isIP, type LookupFunction } from 'node:net'
import { classifyAddress } from './address-policy.js'
import type { HostLookup } from './bounded-lookup.js'
import { DidError, quoteRemote } from './did-error.js'
import type { HostAllowList } from './host-allow-list.js'

/**
 * Resolves the host of a URL and checks every address before any connection is opened. Throws
 * `ERR_DID_ADDRESS_REFUSED` when one address is not public unicast, unless the host is on the
 * allow list, and even then for cloud metadata addresses, which serve instance credentials.
 * One rejected address rejects the host, so a DNS answer that mixes public and private
 * addresses cannot slip through.
 */
export async function resolveAllowedAddresses(
  url: URL,
  port: number,
  allowList: HostAllowList,
  lookup: HostLookup,
  signal?: AbortSignal,
): Promise<readonly LookupAddress[]> {
  const hostname = bareHostname(url)
  const addresses = await addressesOf(hostname, lookup, signal)
  const exempt = allowList.find(hostname, port) !== undefined

  for (const { address } of addresses) {
    const category = classifyAddress(address)
    if (category === undefined || (exempt && category !== 'metadata')) continue
    const subject = isIP(hostname) ? `address ${quoteRemote(address)} is` : `host ${quoteRemote(hostname)} resolves to`
    const hint = category === 'metadata' ? '' : '; only hosts on DID_WEB_HTTP_HOSTS may use such addresses'
    throw new DidError('ERR_DID_ADDRESS_REFUSED', `${subject} a ${category} address${hint}`)
  }
  return addresses
}

/**
 * Builds the `lookup` option of `node:http` that returns the checked addresses. The connection
 * therefore goes to an address that passed the check, and a second DNS answer (DNS rebinding)
 * has no effect.
 */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : undefined
    const matching = addresses.filter((entry) => family === undefined || entry.family === family)
    const [first] = matching
    if (first === undefined) {
      const error: NodeJS.ErrnoException = new Error('no checked address of the requested family')
      error.code = 'ENOTFOUND'
      callback(error, '', 0)
    } else if (options.all) {
      callback(null, matching)
    } else {
      callback(null, first.address, first.family)
    }
  }
}

/** Returns the host of a URL without the brackets of an IPv6 literal. */
export function bareHostname(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
}

async function addressesOf(hostname: string, lookup: HostLookup, signal: AbortSignal | undefined): Promise<readonly LookupAddress[]> {
  const family = isIP(hostname)
  // node:net connects to a literal address without calling `lookup`, so it is checked as is.
  if (family !== 0) return [{ address: hostname, family }]

  let addresses: readonly LookupAddress[]
  try {
    addresses = await lookup(hostname, signal)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'lookup failed'
    throw new DidError('ERR_DID_RESOLUTION_FAILED', `DNS lookup of host ${quoteRemote(hostname)} failed (${reason})`, {
      cause: error,
    })
  }
  if (addresses.length === 0) {
    throw new DidError('ERR_DID_RESOLUTION_FAILED', `host ${quoteRemote(hostname)} has no address`)
  }
  return addresses
}
