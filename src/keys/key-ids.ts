import { randomBytes } from 'node:crypto'

const base32 = 'abcdefghijklmnopqrstuvwxyz234567'

/** Generates a key id: 16 characters of lower-case base32, 80 random bits. */
export function generateKeyId(): string {
  return Array.from(randomBytes(16), (byte) => base32[byte % 32]).join('')
}

export const keyIdPattern = '^[a-z2-7]{16}$'
