import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CredentialMessageBody, interpretCredentialMessage } from '../../../dcp/credential-message.js'
import { receiveCredentialMessage } from '../../../holder/receive-credential-message.js'
import { participantIdPattern } from '../../../participants/participant.js'
import type { AppContext } from '../../context.js'
import { authenticateDcpCaller } from '../../dcp-caller.js'
import { errorResponses } from '../../schemas.js'

const HolderParams = Type.Object({ participantId: Type.String({ pattern: participantIdPattern }) })

/**
 * The DCP Storage API of a holder: an issuer delivers credentials, or its rejection of a request,
 * as a `CredentialMessage` signed for the holder.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#storage-api
 */
export const storageRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const intake = { resolver: context.resolver, leewaySeconds: context.config.tokens.clockLeewaySeconds }

  app.post(
    '/p/:participantId/cs/credentials',
    {
      // The SI token is checked before the body, so an unauthenticated caller learns nothing about it.
      attachValidation: true,
      schema: {
        tags: ['dcp'],
        summary: 'Receive credentials from an issuer (DCP Storage API)',
        params: HolderParams,
        body: CredentialMessageBody,
        // 200, not 201: the message creates no resource of its own, and a repeated delivery stores nothing new.
        response: { 200: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params
      const { participant, token } = await authenticateDcpCaller(request, context, participantId, 'holder')
      if (request.validationError) throw request.validationError

      const message = interpretCredentialMessage(request.body)
      const holder = { participantId: participant.id, did: participant.did }
      const result = await receiveCredentialMessage(context.db, intake, holder, token.issuer, message)
      request.log.info(
        { participantId, issuer: token.issuer, status: message.status, stored: result.stored.length, requestId: result.requestId },
        'credential message received',
      )
      return reply.status(200).send(null)
    },
  )
}
