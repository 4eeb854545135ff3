import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { listCredentialOffers } from '../../../storage/credential-offer-repository.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import type { AppContext } from '../../context.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, PageLimit, ParticipantParams } from '../../schemas.js'

const OfferSchema = Type.Object({
  id: Type.String(),
  issuerDid: Type.String(),
  credentials: Type.Array(Type.Object({}, { additionalProperties: true }), {
    description: 'The CredentialObject entries, with sparse ones completed from the issuer metadata where it lists their id.',
  }),
  completionState: Type.String({ description: 'pending while sparse entries wait for the issuer metadata, then complete, or failed when the metadata could not be read.' }),
  completionError: Type.Union([Type.String(), Type.Null()], { description: 'Why the last completion attempt failed.' }),
  receivedAt: Type.String({ format: 'date-time' }),
})

const ListQuery = Type.Object({
  issuerDid: Type.Optional(Type.String({ maxLength: 2048 })),
  after: Type.Optional(Type.String({ format: 'uuid', description: 'Value of `next` from the previous page.' })),
  limit: PageLimit,
})

/** Credential offers that issuers sent to a holder through the DCP Credential Offer API. */
export const credentialOfferRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context

  app.get(
    '/participants/:participantId/offers',
    {
      schema: {
        tags: ['holder credentials'],
        summary: 'List received credential offers, newest first',
        params: ParticipantParams,
        querystring: ListQuery,
        response: {
          200: Type.Object({ items: Type.Array(OfferSchema), next: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      const { issuerDid, after, limit } = request.query
      const offers = await listCredentialOffers(db, {
        participantId,
        limit,
        ...(issuerDid ? { issuerDid } : {}),
        ...(after ? { afterId: after } : {}),
      })
      const items = offers.map((offer) => ({
        id: offer.id,
        issuerDid: offer.issuerDid,
        credentials: offer.credentials,
        completionState: offer.completionState,
        completionError: offer.completionError,
        receivedAt: offer.receivedAt.toISOString(),
      }))
      return { items, next: offers.length === limit ? offers[offers.length - 1]!.id : null }
    },
  )
}
