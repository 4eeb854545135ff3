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
 * Representations of lists secured by a JWT, in order of preference, which decides when the
 * Accept header leaves the choice open (absent, or only ranges such as `*\/*`). NOTE: the two JSON
 * forms carry the credential without any proof, so only `application/vc+jwt` lets a verifier
 * check the list's signature.
 */
const jwtListTypes: Record<StatusListType, readonly string[]> = {
  BitstringStatusList: ['application/vc+jwt', 'application/vc', 'application/json'],
  // EDC reads StatusList2021 lists as JSON. EDC 0.13 (Tractus-X EDC 0.10) fetches them through
  // java.net.URL, whose default Accept header ends in `*/*; q=.2`, and cannot parse a JWT.
  StatusList2021: ['application/json', 'application/vc', 'application/vc+jwt'],
}

/** Lists with a Data Integrity proof have one form, the credential with its embedded proof. */
const dataIntegrityTypes = ['application/vc', 'application/vc+ld+json', 'application/ld+json', 'application/json'] as const

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
      const participant = await findParticipant(context.db, participantId)
      if (!participant || participant.state !== 'active') {
        throw new NotFoundError('ERR_STATUS_LIST_NOT_FOUND', `no status list "${listId}"`)
      }
      const signed = await context.issuer.statusLists.current(participantId, listId.toLowerCase())
      const offered = signed.proofFormat === 'data-integrity' ? dataIntegrityTypes : jwtListTypes[signed.type]
      const mediaType = negotiateMediaType(request.headers.accept, offered)
      if (mediaType === undefined) {
        throw new AppError('ERR_STATUS_LIST_NOT_ACCEPTABLE', `this status list is served as ${offered.join(', ')}`)
      }
      reply.header('cache-control', cacheControl).header('vary', 'accept').type(mediaType)
      if (signed.proofFormat === 'data-integrity') return signed.credential
      return mediaType === 'application/vc+jwt' ? signed.credential : JSON.stringify(signed.document)
    },
  )
}
