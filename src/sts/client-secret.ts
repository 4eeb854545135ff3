import { randomBytes } from 'node:crypto'

/** Generates an STS client secret: 256 random bits, base64url. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url')
}
