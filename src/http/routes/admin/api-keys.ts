import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ConflictError } from '../../../errors/app-error.js'
import { generateApiKey } from '../../../participants/api-key-secret.js'
import { insertApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../../../storage/api-key-repository.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, ParticipantIdParam, ParticipantParams } from '../../schemas.js'

const ApiKeySchema = Type.Object(
  {
    id: Type.String(),
    participantId: Type.String(),
    name: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
)

const CreatedApiKey = Type.Object({
  ...ApiKeySchema.properties,
  token: Type.String({ description: 'The bearer token. It is shown only in this response.' }),
})

const KeyParams = Type.Object({
  participantId: ParticipantIdParam,
  keyId: Type.String({ pattern: '^[a-z2-7]{16}$' }),
})

export const apiKeyRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['api keys']

  app.post(
    '/participants/:participantId/api-keys',
    {
      schema: {
        tags,
        summary: 'Create an API key for a participant; the token is shown once',
        params: ParticipantParams,
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: CreatedApiKey, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const generated = generateApiKey()
      const key = await audited(
        request,
        db,
        {
          action: 'api-key.create',
          target: `api-key:${generated.id}`,
          participantId,
          detail: { name: request.body.name },
        },
        async (tx) => {
          const participant = await getParticipant(tx, participantId)
          if (participant.state !== 'active') {
            throw new ConflictError('ERR_PARTICIPANT_DEACTIVATED', `participant "${participantId}" is deactivated`)
          }
          return insertApiKey(tx, { id: generated.id, participantId, name: request.body.name, secretHash: generated.secretHash })
        },
      )
      request.log.info({ participantId, apiKeyId: key.id }, 'API key created')
      return reply.status(201).send({ ...serialize(key), token: generated.token })
    },
  )

  app.get(
    '/participants/:participantId/api-keys',
    {
      schema: {
        tags,
        summary: "List a participant's API keys, revoked ones included",
        params: ParticipantParams,
        response: { 200: Type.Object({ items: Type.Array(ApiKeySchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      return { items: (await listApiKeys(db, participantId)).map(serialize) }
    },
  )

  app.post(
    '/participants/:participantId/api-keys/:keyId/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke an API key; it is refused from then on',
        params: KeyParams,
        response: { 200: ApiKeySchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId, keyId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const key = await audited(
        request,
        db,
        { action: 'api-key.revoke', target: `api-key:${keyId}`, participantId },
        (tx) => revokeApiKey(tx, participantId, keyId),
      )
      request.log.info({ participantId, apiKeyId: keyId }, 'API key revoked')
      return serialize(key)
    },
  )
}

function serialize(key: ApiKey) {
  return { ...key, createdAt: key.createdAt.toISOString(), revokedAt: key.revokedAt?.toISOString() ?? null }
}
