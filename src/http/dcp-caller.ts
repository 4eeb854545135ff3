import type { FastifyRequest } from 'fastify'
import { NotFoundError } from '../errors/app-error.js'
import type { Participant, ParticipantRole } from '../participants/participant.js'
import { bearerTokenOf } from '../tokens/bearer.js'
import type { VerifiedSelfIssuedToken } from '../tokens/self-issued-token-verifier.js'
import type { AppContext } from './context.js'

/** A DCP request whose Self-Issued ID token passed every check, for a participant of this service. */
export interface DcpCaller {
  participant: Participant
  token: VerifiedSelfIssuedToken
}

/**
 * Finds the addressed participant, which must be active and have `role`, then verifies the
 * bearer Self-Issued ID token against it. An unknown participant is 404, so the DCP base URL of
 * a participant that does not exist looks like any unknown path.
 */
export async function authenticateDcpCaller(
  request: FastifyRequest,
  context: AppContext,
  participantId: string,
  role: ParticipantRole,
): Promise<DcpCaller> {
  const participant = await context.participants.find(participantId)
  if (!participant || participant.state !== 'active' || !participant.roles.includes(role)) {
    throw new NotFoundError('ERR_ROUTE_NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`)
  }
  const token = await context.siTokenVerifier.verify(bearerTokenOf(request.headers.authorization), {
    participantId: participant.id,
    did: participant.did,
  })
  request.log.debug({ participantId, caller: token.issuer }, 'DCP caller authenticated')
  return { participant, token }
}
