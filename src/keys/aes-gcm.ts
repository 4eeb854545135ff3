import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/** Layout version of sealed blobs: `0x01 || iv (12) || tag (16) || ciphertext`. */
const version = 0x01
const ivLength = 12
const tagLength = 16

/** Raised when a sealed blob was altered, is bound to other data, or was sealed under another key. */
export class UnsealError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'UnsealError'
  }
}

/**
 * Encrypts with AES-256-GCM under `key` (32 bytes). `associatedData` binds the blob to its
 * owner, so a row copied to another key or participant fails to open.
 */
export function seal(key: Buffer, plaintext: Buffer, associatedData: string): Buffer {
  const iv = randomBytes(ivLength)
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength })
  cipher.setAAD(Buffer.from(associatedData, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([Buffer.of(version), iv, cipher.getAuthTag(), ciphertext])
}

export function open(key: Buffer, sealed: Buffer, associatedData: string): Buffer {
  if (sealed.length < 1 + ivLength + tagLength || sealed[0] !== version) {
    throw new UnsealError(`sealed data has an unknown layout (version ${sealed[0] ?? 'missing'})`)
  }
  const iv = sealed.subarray(1, 1 + ivLength)
  const tag = sealed.subarray(1 + ivLength, 1 + ivLength + tagLength)
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength })
  decipher.setAAD(Buffer.from(associatedData, 'utf8'))
  decipher.setAuthTag(tag)
  try {
    return Buffer.concat([decipher.update(sealed.subarray(1 + ivLength + tagLength)), decipher.final()])
  } catch (error) {
    throw new UnsealError('authentication failed: wrong master key, or the data was altered', { cause: error })
  }
}
