import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError, NotFoundError } from '../../../errors/app-error.js'
import type { StatusListType } from '../../../credentials/status-list.js'
import { participantIdPattern } from '../../../participants/participant.js'
import { findParticipant } from '../../../storage/participant-repository.js'
import type { AppContext } from '../../context.js'
import { negotiateMediaType } from '../../content-negotiation.js'

const StatusListParams = Type.Object({
  participantId: Type.String({ pattern: participantIdPattern }),
  listId: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }),
})

/**
 * Representations in order of preference, which decides when the Accept header leaves the choice
 * open (absent, or only ranges such as `*\/*`). NOTE: the two JSON forms carry the credential
 * without any proof, so only `application/vc+jwt` lets a verifier check the list's signature.
 */
const offeredTypes: Record<StatusListType, readonly string[]> = {
  BitstringStatusList: ['application/vc+jwt', 'application/vc', 'application/json'],
  // EDC reads StatusList2021 lists as JSON. EDC 0.13 (Tractus-X EDC 0.10) fetches them through
  // java.net.URL, whose default Accept header ends in `*/*; q=.2`, and cannot parse a JWT.
  StatusList2021: ['application/json', 'application/vc', 'application/vc+jwt'],
}
const anyOfferedType = offeredTypes.BitstringStatusList

// Short, so that a revocation reaches verifiers that honour caching within a minute.
const cacheControl = 'public, max-age=60'

/**
 * Serves status list credentials at the URL their entries name, to anyone. The representation
 * follows the Accept header: the signed JWT, or its credential as JSON.
 */
export const statusListRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/p/:participantId/status-lists/:listId',
    { schema: { tags: ['status lists'], summary: 'Status list credential', params: StatusListParams } },
    async (request, reply) => {
      const { participantId, listId } = request.params
      // Both list types offer the same representations, so a request that accepts none of them is
      // rejected before the list is read and possibly signed again.
      if (negotiateMediaType(request.headers.accept, anyOfferedType) === undefined) {
        throw new AppError('ERR_STATUS_LIST_NOT_ACCEPTABLE', `a status list is served as ${anyOfferedType.join(', ')}`)
      }
      const participant = await findParticipant(context.db, participantId)
      if (!participant || participant.state !== 'active') {
        throw new NotFoundError('ERR_STATUS_LIST_NOT_FOUND', `no status list "${listId}"`)
      }
      const signed = await context.issuer.statusLists.current(participantId, listId.toLowerCase())
      const mediaType = negotiateMediaType(request.headers.accept, offeredTypes[signed.type])!
      reply.header('cache-control', cacheControl).header('vary', 'accept').type(mediaType)
      return mediaType === 'application/vc+jwt' ? signed.jwt : JSON.stringify(signed.document)
    },
  )
}
