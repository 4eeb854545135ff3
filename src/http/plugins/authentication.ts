import { timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { AuthError } from '../../errors/app-error.js'
import { digest, parseApiKey, secretMatches } from '../../participants/api-key-secret.js'
import { findApiKeyCredential } from '../../storage/api-key-repository.js'
import type { Database } from '../../storage/database.js'

/** Who sent an admin request: the bootstrap admin, or one participant through its API key. */
export type Principal =
  | { kind: 'admin'; actor: 'admin' }
  | { kind: 'participant'; actor: string; participantId: string; apiKeyId: string }

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
}

// One message for every bad credential, so a caller cannot tell an unknown key from a revoked one.
const invalidCredential = 'the bearer credential is not valid'

/** Resolves the request's bearer credential into a principal, or throws a 401. */
export async function authenticate(
  request: FastifyRequest,
  db: Database,
  adminToken: string | undefined,
): Promise<Principal> {
  const token = bearerToken(request)
  if (adminToken !== undefined && constantTimeEquals(token, adminToken)) return { kind: 'admin', actor: 'admin' }

  const parsed = parseApiKey(token)
  if (!parsed) return reject(request, 'neither the admin token nor an API key')
  const key = await findApiKeyCredential(db, parsed.id)
  if (!key) return reject(request, 'unknown API key id', parsed.id)
  if (!secretMatches(parsed.secret, key.secretHash)) return reject(request, 'API key secret mismatch', key.id)
  if (key.revokedAt) return reject(request, 'API key revoked', key.id)
  if (key.participantState !== 'active') return reject(request, 'participant deactivated', key.id)
  return { kind: 'participant', actor: `api-key:${key.id}`, participantId: key.participantId, apiKeyId: key.id }
}

/** Allows the admin and the participant itself; anyone else gets 403. */
export function authorizeParticipant(principal: Principal, participantId: string): void {
  if (principal.kind === 'admin' || principal.participantId === participantId) return
  throw new AuthError('ERR_AUTH_FORBIDDEN', `this API key may not act on participant "${participantId}"`)
}

export function requireAdmin(principal: Principal): void {
  if (principal.kind !== 'admin') {
    throw new AuthError('ERR_AUTH_FORBIDDEN', 'this operation needs the admin token')
  }
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization
  const match = header === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(header)
  if (!match) {
    throw new AuthError('ERR_AUTH_MISSING', 'missing "Authorization: Bearer <token>" header')
  }
  return match[1]!
}

function constantTimeEquals(presented: string, expected: string): boolean {
  // Digests have one length, so the comparison time does not depend on the presented length.
  return timingSafeEqual(digest(presented), digest(expected))
}

function reject(request: FastifyRequest, reason: string, apiKeyId?: string): never {
  request.log.debug({ reason, apiKeyId }, 'admin credential rejected')
  throw new AuthError('ERR_AUTH_INVALID', invalidCredential)
}
