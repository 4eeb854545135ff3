import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CredentialOfferMessageBody, interpretCredentialOffer } from '../../../dcp/credential-offer-message.js'
import { AppError } from '../../../errors/app-error.js'
import { isSparseEntry } from '../../../holder/offer-completion.js'
import { participantIdPattern } from '../../../participants/participant.js'
import { insertCredentialOffer } from '../../../storage/credential-offer-repository.js'
import type { AppContext } from '../../context.js'
import { authenticateDcpCaller } from '../../dcp-caller.js'
import { errorResponses } from '../../schemas.js'

const HolderParams = Type.Object({ participantId: Type.String({ pattern: participantIdPattern }) })

/**
 * The DCP Credential Offer API of a holder: an issuer sends the holder the credentials it can
 * request. Offers are stored for the holder's operator to act on.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#credential-offer-api
 */
export const offerRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  app.post(
    '/p/:participantId/cs/offers',
    {
      attachValidation: true,
      schema: {
        tags: ['dcp'],
        summary: 'Receive a credential offer from an issuer (DCP Credential Offer API)',
        params: HolderParams,
        body: CredentialOfferMessageBody,
        response: { 200: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params
      const { participant, token } = await authenticateDcpCaller(request, context, participantId, 'holder')
      if (request.validationError) throw request.validationError

      const offer = interpretCredentialOffer(request.body)
      if (offer.issuer !== token.issuer) {
        throw new AppError(
          'ERR_DCP_SENDER_MISMATCH',
          `the offer names issuer ${JSON.stringify(offer.issuer)} but is signed by ${JSON.stringify(token.issuer)}`,
        )
      }
      // Sparse {id} entries are completed from the issuer's metadata by a background task, so
      // the issuer gets its response without waiting for its own metadata endpoint.
      const stored = await insertCredentialOffer(context.db, {
        participantId: participant.id,
        issuerDid: offer.issuer,
        credentials: offer.credentials,
        completionState: offer.credentials.some(isSparseEntry) ? 'pending' : 'complete',
      })
      request.log.info({ participantId, issuer: offer.issuer, offerId: stored.id, entries: offer.credentials.length }, 'credential offer received')
      return reply.status(200).send(null)
    },
  )
}
