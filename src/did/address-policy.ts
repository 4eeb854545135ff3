import { parseIpAddress } from './ip-address.js'

/** Category of an IP address that is not public unicast, so no DID document is fetched from it. */
export type AddressCategory =
  'loopback' | 'private' | 'link-local' | 'unique-local' | 'unspecified' | 'multicast' | 'metadata' | 'reserved'

interface AddressRange {
  readonly prefix: Uint8Array
  readonly bits: number
  readonly category: AddressCategory
}

/** Instance metadata services: AWS, GCP and Azure (IPv4), AWS Nitro (IPv6), Alibaba Cloud. */
const metadataAddresses = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'].map(bytesOf)

const ipv4Ranges = [
  range('0.0.0.0', 8, 'unspecified'),
  range('10.0.0.0', 8, 'private'),
  // Shared address space of carrier-grade NAT (RFC 6598); some clouds use it for internal services.
  range('100.64.0.0', 10, 'reserved'),
  range('127.0.0.0', 8, 'loopback'),
  range('169.254.0.0', 16, 'link-local'),
  range('172.16.0.0', 12, 'private'),
  range('192.0.0.0', 24, 'reserved'),
  range('192.0.2.0', 24, 'reserved'),
  range('192.168.0.0', 16, 'private'),
  range('198.18.0.0', 15, 'reserved'),
  range('198.51.100.0', 24, 'reserved'),
  range('203.0.113.0', 24, 'reserved'),
  range('224.0.0.0', 4, 'multicast'),
  // 240.0.0.0/4 is reserved and contains the broadcast address 255.255.255.255.
  range('240.0.0.0', 4, 'reserved'),
]

const ipv6Ranges = [
  range('::', 128, 'unspecified'),
  range('::1', 128, 'loopback'),
  range('fe80::', 10, 'link-local'),
  // Deprecated site-local addresses (RFC 3879), still routed inside some networks.
  range('fec0::', 10, 'reserved'),
  range('fc00::', 7, 'unique-local'),
  range('ff00::', 8, 'multicast'),
  range('100::', 64, 'reserved'),
  range('64:ff9b:1::', 48, 'reserved'),
  range('2001:db8::', 32, 'reserved'),
  // The rest of ::/8, which includes the deprecated IPv4-compatible form ::a.b.c.d.
  range('::', 8, 'reserved'),
]

/**
 * IPv6 forms that carry an IPv4 address, which the host or a gateway reaches over IPv4: the
 * IPv4-mapped form `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d` and 6to4 `2002:AABB:CCDD::`.
 * Each entry gives the prefix and the byte offset of the embedded address.
 */
const embeddingPrefixes = [
  { prefix: bytesOf('::ffff:0:0'), bits: 96, offset: 12 },
  { prefix: bytesOf('64:ff9b::'), bits: 96, offset: 12 },
  { prefix: bytesOf('2002::'), bits: 16, offset: 2 },
]

/**
 * Classifies an IP address in text form. Returns undefined for a public unicast address and the
 * category otherwise. Text that is not an IP address is classified as `reserved`, so a caller
 * that checks the result fails closed.
 */
export function classifyAddress(address: string): AddressCategory | undefined {
  const bytes = parseIpAddress(address)
  return bytes === undefined ? 'reserved' : classifyBytes(bytes)
}

function classifyBytes(bytes: Uint8Array): AddressCategory | undefined {
  if (metadataAddresses.some((metadata) => equalBytes(metadata, bytes))) return 'metadata'
  if (bytes.length === 4) return ipv4Ranges.find((entry) => inRange(bytes, entry))?.category

  const embedding = embeddingPrefixes.find((entry) => matchesPrefix(bytes, entry.prefix, entry.bits))
  if (embedding !== undefined) return classifyBytes(bytes.slice(embedding.offset, embedding.offset + 4))
  return ipv6Ranges.find((entry) => inRange(bytes, entry))?.category
}

function range(address: string, bits: number, category: AddressCategory): AddressRange {
  return { prefix: bytesOf(address), bits, category }
}

function bytesOf(address: string): Uint8Array {
  const bytes = parseIpAddress(address)
  if (bytes === undefined) throw new TypeError(`"${address}" is not an IP address`)
  return bytes
}

function inRange(bytes: Uint8Array, entry: AddressRange): boolean {
  return entry.prefix.length === bytes.length && matchesPrefix(bytes, entry.prefix, entry.bits)
}

function matchesPrefix(bytes: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  if (prefix.length !== bytes.length) return false
  for (let bit = 0; bit < bits; bit += 8) {
    const index = bit / 8
    const mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false
  }
  return true
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index])
}
