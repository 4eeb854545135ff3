import { isIPv4, isIPv6 } from 'node:net'

/**
 * Parses an IPv4 or IPv6 address in text form into its 4 or 16 bytes, or returns undefined when
 * the text is not an address. An IPv6 zone index (`fe80::1%eth0`) is dropped, because the range
 * checks depend on the address bits alone.
 */
export function parseIpAddress(text: string): Uint8Array | undefined {
  const address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  if (isIPv4(address)) return parseIpv4(address)
  const withoutZone = address.split('%')[0] ?? ''
  if (isIPv6(withoutZone)) return parseIpv6(withoutZone)
  return undefined
}

function parseIpv4(address: string): Uint8Array {
  return Uint8Array.from(address.split('.').map(Number))
}

function parseIpv6(address: string): Uint8Array | undefined {
  const [head = '', tail] = address.split('::')
  const headGroups = groupsOf(head)
  const tailGroups = tail === undefined ? [] : groupsOf(tail)
  if (headGroups === undefined || tailGroups === undefined) return undefined

  const missing = 8 - headGroups.length - tailGroups.length
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined
  const groups = [...headGroups, ...new Array<number>(tail === undefined ? 0 : missing).fill(0), ...tailGroups]

  const bytes = new Uint8Array(16)
  groups.forEach((group, index) => {
    bytes[index * 2] = group >> 8
    bytes[index * 2 + 1] = group & 0xff
  })
  return bytes
}

/** Splits colon-separated hex groups; a trailing dotted IPv4 part counts as two groups. */
function groupsOf(part: string): number[] | undefined {
  if (part === '') return []
  const groups: number[] = []
  for (const piece of part.split(':')) {
    if (isIPv4(piece)) {
      const [a = 0, b = 0, c = 0, d = 0] = parseIpv4(piece)
      groups.push((a << 8) | b, (c << 8) | d)
    } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
      groups.push(Number.parseInt(piece, 16))
    } else {
      return undefined
    }
  }
  return groups
}
