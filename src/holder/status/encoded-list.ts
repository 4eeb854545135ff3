import { gunzipSync } from 'node:zlib'
import { AppError } from '../../errors/app-error.js'

/**
 * Decodes the `encodedList` of a status list: GZIP-compressed bits in base64url or base64.
 * Bitstring Status List writes it as a multibase value with the `u` prefix in base64url.
 * StatusList2021 writes base64, which EDC expects, or base64url, as some other
 * issuers do, so either alphabet is accepted, and a `u` prefix is tolerated too. Decompression
 * stops at `maxBytes`, so a small compressed list cannot expand without bound.
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistcredential
 */
export function decodeEncodedList(encoded: string, maxBytes: number): Uint8Array {
  const base64 = encoded.startsWith('u') ? encoded.slice(1) : encoded
  if (!/^[A-Za-z0-9_+/-]+={0,2}$/.test(base64)) throw invalid('"encodedList" is neither base64url nor base64')
  try {
    // Node's base64 decoder reads both alphabets.
    return gunzipSync(Buffer.from(base64, 'base64'), { maxOutputLength: maxBytes })
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? `is larger than ${maxBytes} bytes` : 'is not GZIP data'
    throw invalid(`the decoded "encodedList" ${reason}`)
  }
}

/** Reads the bit at `index`; bit 0 is the most significant bit of the first byte. */
export function isBitSet(bits: Uint8Array, index: number): boolean {
  const byte = bits[Math.floor(index / 8)]
  if (byte === undefined) throw invalid(`status index ${index} is beyond the list of ${bits.length * 8} entries`)
  return ((byte >> (7 - (index % 8))) & 1) === 1
}

function invalid(message: string): AppError {
  return new AppError('ERR_STATUS_LIST_INVALID', message)
}
