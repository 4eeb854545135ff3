import { gunzipSync, gzipSync } from 'node:zlib'
import { base64url } from 'jose'

/** The two status list formats: one per credential profile. */
export type StatusListType = 'StatusList2021' | 'BitstringStatusList'
export type StatusPurpose = 'revocation' | 'suspension'

/** How a status list credential is secured: a JWT, or an embedded Data Integrity proof. */
export type StatusListProofFormat = 'jwt' | 'data-integrity'

/**
 * Encodes a bitstring of `size` bits in which the bits at `setIndices` are 1: GZIP, then
 * base64url without padding. Bit 0 is the most significant bit of byte 0. Bitstring Status List
 * adds the multibase prefix `u`, which marks base64url.
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstring-encoding
 * @see https://www.w3.org/TR/2023/WD-vc-status-list-20230427/#bitstring-encoding
 */
export function encodeStatusList(size: number, setIndices: Iterable<number>, type: StatusListType): string {
  if (size <= 0 || size % 8 !== 0) throw new TypeError(`status list size ${size} is not a positive multiple of 8`)
  const bytes = new Uint8Array(size / 8)
  for (const index of setIndices) {
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`status index ${index} is outside the list`)
    bytes[index >> 3]! |= 0x80 >> (index & 7)
  }
  const encoded = base64url.encode(gzipSync(bytes))
  return type === 'BitstringStatusList' ? `u${encoded}` : encoded
}

/** Decodes an `encodedList` of either type into its bytes; the multibase `u` prefix is optional. */
export function decodeStatusList(encodedList: string): Uint8Array {
  const body = encodedList.startsWith('u') ? encodedList.slice(1) : encodedList
  return new Uint8Array(gunzipSync(base64url.decode(body)))
}

/** Reads one bit of a decoded list, counting from the most significant bit of byte 0. */
export function statusBitAt(bytes: Uint8Array, index: number): boolean {
  if (index < 0 || index >= bytes.length * 8) throw new RangeError(`status index ${index} is outside the list`)
  return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0
}
