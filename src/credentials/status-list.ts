import { gunzipSync, gzipSync } from 'node:zlib'
import { base64url } from 'jose'

/** The two status list formats: one per credential profile. */
export type StatusListType = 'StatusList2021' | 'BitstringStatusList'
export type StatusPurpose = 'revocation' | 'suspension'

/** Securing mechanism of a status list credential: a JWT, or an embedded Data Integrity proof. */
export type StatusListProofFormat = 'jwt' | 'data-integrity'

/**
 * Encodes a bitstring of `size` bits in which the bits at `setIndices` are 1: GZIP, then base64.
 * Bit 0 is the most significant bit of byte 0. Bitstring Status List uses base64url without
 * padding and the multibase prefix `u`, which marks base64url. StatusList2021 uses base64 with
 * the standard alphabet, because EDC decodes it with java.util.Base64.getDecoder() and rejects a
 * list that contains `-` or `_` (read in EDC 0.13 and on the main branch of eclipse-edc/Connector).
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstring-encoding
 * @see https://w3c.github.io/cg-reports/credentials/CG-FINAL-vc-status-list-2021-20230102/
 */
export function encodeStatusList(size: number, setIndices: Iterable<number>, type: StatusListType): string {
  if (size <= 0 || size % 8 !== 0) throw new TypeError(`status list size ${size} is not a positive multiple of 8`)
  const bytes = new Uint8Array(size / 8)
  for (const index of setIndices) {
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`status index ${index} is outside the list`)
    bytes[index >> 3]! |= 0x80 >> (index & 7)
  }
  const compressed = gzipSync(bytes)
  return type === 'BitstringStatusList' ? `u${base64url.encode(compressed)}` : Buffer.from(compressed).toString('base64')
}

/**
 * Decodes an `encodedList` of either type into its bytes; the multibase `u` prefix is optional,
 * and Node's base64 decoder reads both alphabets.
 */
export function decodeStatusList(encodedList: string): Uint8Array {
  const body = encodedList.startsWith('u') ? encodedList.slice(1) : encodedList
  return new Uint8Array(gunzipSync(Buffer.from(body, 'base64')))
}

/** Reads one bit of a decoded list, counting from the most significant bit of byte 0. */
export function statusBitAt(bytes: Uint8Array, index: number): boolean {
  if (index < 0 || index >= bytes.length * 8) throw new RangeError(`status index ${index} is outside the list`)
  return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0
}
