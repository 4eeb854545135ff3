import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

const base32 = 'abcdefghijklmnopqrstuvwxyz234567'
const apiKeyPattern = /^dcpk_([a-z2-7]{16})_([A-Za-z0-9_-]{43})$/

/** A new API key: the id is stored, the token is shown once, only the digest of its secret is kept. */
export interface GeneratedApiKey {
  id: string
  token: string
  secretHash: Buffer
}

/** Generates `dcpk_<16 base32 id>_<43 base64url secret>`, a 256-bit secret with a lookup id. */
export function generateApiKey(): GeneratedApiKey {
  const id = Array.from(randomBytes(16), (byte) => base32[byte % 32]).join('')
  const secret = randomBytes(32).toString('base64url')
  return { id, token: `dcpk_${id}_${secret}`, secretHash: digest(secret) }
}

/** Splits a presented token into id and secret; undefined when it has not the API key form. */
export function parseApiKey(token: string): { id: string; secret: string } | undefined {
  const match = apiKeyPattern.exec(token)
  return match ? { id: match[1]!, secret: match[2]! } : undefined
}

/**
 * Compares a presented secret with a stored digest in constant time. A plain SHA-256 is enough
 * because the secret is 256 random bits, so no dictionary applies.
 */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = digest(secret)
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash)
}

export function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}
