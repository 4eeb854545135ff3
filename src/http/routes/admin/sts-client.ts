import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { digest } from '../../../participants/api-key-secret.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import { getStsClient, replaceStsClientSecret, type StsClient } from '../../../storage/sts-client-repository.js'
import { generateClientSecret } from '../../../sts/client-secret.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, ParticipantParams } from '../../schemas.js'

const StsClientSchema = Type.Object({
  participantId: Type.String(),
  clientId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  rotatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

const StsClientWithSecret = Type.Object({
  ...StsClientSchema.properties,
  clientSecret: Type.String({ description: 'The new secret. It is shown only in this response.' }),
})


export const stsClientRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['sts client']

  app.get(
    '/participants/:participantId/sts-client',
    {
      schema: {
        tags,
        summary: "Read a participant's STS client id",
        params: ParticipantParams,
        response: { 200: StsClientSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      authorizeParticipant(request.principal!, request.params.participantId)
      return serialize(await getStsClient(db, request.params.participantId))
    },
  )

  app.post(
    '/participants/:participantId/sts-client/rotate-secret',
    {
      schema: {
        tags,
        summary: 'Generate a new STS client secret; the old one stops working at once',
        params: ParticipantParams,
        response: { 200: StsClientWithSecret, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const clientSecret = generateClientSecret()
      const client = await audited(
        request,
        db,
        { action: 'sts-client.rotate-secret', target: `sts-client:${participantId}`, participantId },
        (tx) => replaceStsClientSecret(tx, participantId, digest(clientSecret)),
      )
      context.sts.forgetClients()
      request.log.info({ participantId }, 'STS client secret rotated')
      return { ...serialize(client), clientSecret }
    },
  )

  app.post(
    '/participants/:participantId/sts-client/rotate-access-token-key',
    {
      schema: {
        tags,
        summary: 'Create a new key for the access tokens the STS mints; tokens of the key before it stay valid until they expire, older ones stop working',
        params: ParticipantParams,
        response: {
          200: Type.Object({ participantId: Type.String(), keyId: Type.String(), createdAt: Type.String({ format: 'date-time' }) }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const key = await audited(
        request,
        db,
        {
          action: 'sts-client.rotate-access-token-key',
          target: `sts-client:${participantId}`,
          participantId,
          resultDetail: (key) => ({ newKeyId: (key as { id: string }).id }),
        },
        async (tx) => {
          await getParticipant(tx, participantId)
          return context.accessTokenKeys.rotate(participantId, tx)
        },
      )
      context.accessTokenKeys.forget(participantId)
      request.log.info({ participantId, keyId: key.id }, 'access token key rotated')
      return { participantId, keyId: key.id, createdAt: key.createdAt.toISOString() }
    },
  )

  app.put(
    '/participants/:participantId/sts-client/secret',
    {
      schema: {
        tags,
        summary: 'Set the STS client secret to a given value, such as one kept in a vault',
        params: ParticipantParams,
        body: Type.Object(
          { clientSecret: Type.String({ minLength: 32, maxLength: 512 }) },
          { additionalProperties: false },
        ),
        response: { 200: StsClientSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const client = await audited(
        request,
        db,
        { action: 'sts-client.set-secret', target: `sts-client:${participantId}`, participantId },
        (tx) => replaceStsClientSecret(tx, participantId, digest(request.body.clientSecret)),
      )
      context.sts.forgetClients()
      request.log.info({ participantId }, 'STS client secret replaced')
      return serialize(client)
    },
  )
}

function serialize(client: StsClient) {
  return { ...client, createdAt: client.createdAt.toISOString(), rotatedAt: client.rotatedAt?.toISOString() ?? null }
}
