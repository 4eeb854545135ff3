import type { FastifyRequest } from 'fastify'
import { NotFoundError } from '../../../errors/app-error.js'
import type { Participant } from '../../../participants/participant.js'
import { findParticipant } from '../../../storage/participant-repository.js'
import type { AppContext } from '../../context.js'

/**
 * Finds the addressed participant, which must be an active issuer. Any other id gets the 404 of
 * an unknown path, so issuer routes do not reveal which participants exist.
 */
export async function activeIssuer(request: FastifyRequest, context: AppContext, participantId: string): Promise<Participant> {
  const participant = await findParticipant(context.db, participantId)
  if (!participant || participant.state !== 'active' || !participant.roles.includes('issuer')) {
    throw new NotFoundError('ERR_ROUTE_NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`)
  }
  return participant
}
