/**
 * Conversion of ECDSA signatures from the DER form KMS returns (`ECDSA-Sig-Value ::= SEQUENCE
 * { r INTEGER, s INTEGER }`, RFC 3279 section 2.2.3) to the JOSE form, the fixed-size
 * concatenation `r || s` (RFC 7518 section 3.4).
 */

/** Raised when bytes are not a strict DER ECDSA signature for the expected curve size. */
export class SignatureEncodingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SignatureEncodingError'
  }
}

const sequenceTag = 0x30
const integerTag = 0x02

/**
 * Converts a DER ECDSA signature to `r || s`, each left-padded to `size` bytes (32 for P-256).
 * Strict DER is required: minimal lengths and integers, positive values, no trailing bytes.
 */
export function derToJose(der: Uint8Array, size: number): Uint8Array {
  if (der[0] !== sequenceTag) throw new SignatureEncodingError('invalid DER signature: expected a SEQUENCE')
  const sequence = readLength(der, 1)
  if (sequence.end !== der.length) {
    throw new SignatureEncodingError(
      `invalid DER signature: the SEQUENCE declares ${sequence.end - sequence.start} bytes but ${der.length - sequence.start} follow`,
    )
  }
  const r = readInteger(der, sequence.start, 'r')
  const s = readInteger(der, r.end, 's')
  if (s.end !== der.length) throw new SignatureEncodingError('invalid DER signature: bytes follow the s INTEGER')

  const jose = new Uint8Array(2 * size)
  jose.set(leftPad(r.value, size, 'r'), 0)
  jose.set(leftPad(s.value, size, 's'), size)
  return jose
}

/** Reads a DER length at `offset`; returns where the content starts and ends. */
function readLength(der: Uint8Array, offset: number): { start: number; end: number } {
  const first = der[offset]
  if (first === undefined) throw new SignatureEncodingError('invalid DER signature: truncated length')
  if (first < 0x80) return { start: offset + 1, end: offset + 1 + first }

  // Long form: ECDSA signatures of the supported curves never need more than one length byte.
  const count = first & 0x7f
  const value = der[offset + 1]
  if (count !== 1 || value === undefined) {
    throw new SignatureEncodingError('invalid DER signature: unsupported length encoding')
  }
  if (value < 0x80) throw new SignatureEncodingError('invalid DER signature: non-minimal length')
  return { start: offset + 2, end: offset + 2 + value }
}

function readInteger(der: Uint8Array, offset: number, name: 'r' | 's'): { value: Uint8Array; end: number } {
  if (der[offset] !== integerTag) throw new SignatureEncodingError(`invalid DER signature: expected the ${name} INTEGER`)
  const { start, end } = readLength(der, offset + 1)
  if (end > der.length) throw new SignatureEncodingError(`invalid DER signature: the ${name} INTEGER is truncated`)
  if (end === start) throw new SignatureEncodingError(`invalid DER signature: the ${name} INTEGER is empty`)

  const value = der.subarray(start, end)
  if (value[0]! & 0x80) throw new SignatureEncodingError(`invalid DER signature: ${name} is negative`)
  // A leading zero byte is allowed only to keep the next byte's high bit from reading as a sign.
  if (value[0] === 0 && value.length > 1 && !(value[1]! & 0x80)) {
    throw new SignatureEncodingError(`invalid DER signature: ${name} has a non-minimal encoding`)
  }
  return { value, end }
}

function leftPad(integer: Uint8Array, size: number, name: 'r' | 's'): Uint8Array {
  let first = 0
  while (first < integer.length - 1 && integer[first] === 0) first += 1
  const digits = integer.subarray(first)
  if (digits.length > size) {
    throw new SignatureEncodingError(`invalid DER signature: ${name} has ${digits.length} bytes; expected at most ${size}`)
  }
  const padded = new Uint8Array(size)
  padded.set(digits, size - digits.length)
  return padded
}
