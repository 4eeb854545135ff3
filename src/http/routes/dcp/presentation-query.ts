import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { PresentationQueryMessageBody } from '../../../dcp/presentation-query.js'
import { participantIdPattern } from '../../../participants/participant.js'
import type { AppContext } from '../../context.js'
import { authenticateDcpCaller } from '../../dcp-caller.js'
import { countRefusal } from '../../count-refusal.js'
import { errorResponses } from '../../schemas.js'

const PresentationResponseMessage = Type.Object({
  '@context': Type.Array(Type.String()),
  type: Type.Literal('PresentationResponseMessage'),
  // Unknown and not a union, so JWT strings serialize without a schema match per item.
  presentation: Type.Array(Type.Unknown({ description: 'A JWT presentation, or a JSON-LD presentation object with a Data Integrity proof.' })),
})

/**
 * The Presentation API of a holder's Credential Service.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#presentation-api
 */
export const presentationQueryRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  app.post(
    '/p/:participantId/cs/presentations/query',
    {
      schema: {
        tags: ['credential service'],
        summary: "Answer a verifier's presentation query with signed presentations",
        params: Type.Object({ participantId: Type.String({ pattern: participantIdPattern }) }),
        body: PresentationQueryMessageBody,
        response: { 200: PresentationResponseMessage, ...errorResponses(400, 401, 404, 501) },
      },
    },
    async (request) => {
      const { presentationQueries } = context.metrics
      const { participant, token } = await countRefusal(presentationQueries, () =>
        authenticateDcpCaller(request, context, request.params.participantId, 'holder'),
      )
      const outcome = await countRefusal(presentationQueries, () =>
        context.presentations.answer(participant, token, request.body),
      )
      presentationQueries.inc({ outcome: 'served' })
      request.log.info(
        {
          participantId: participant.id,
          verifier: token.issuer,
          dcpVersion: outcome.dcpVersion,
          requestedScopes: outcome.requestedScopes,
          servedScopes: outcome.servedScopes,
          credentials: outcome.credentials,
        },
        'presentation query answered',
      )
      return outcome.response
    },
  )
}
