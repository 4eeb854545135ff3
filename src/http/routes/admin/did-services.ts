import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { builtInServiceIds } from '../../../did/document.js'
import { ConflictError } from '../../../errors/app-error.js'
import { deleteDidService, insertDidService, listDidServices, type StoredDidService } from '../../../storage/did-service-repository.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, ParticipantIdParam, ParticipantParams } from '../../schemas.js'

const serviceIdPattern = '^[A-Za-z0-9._-]{1,64}$'

const ServiceSchema = Type.Object({
  id: Type.String({ description: 'Fragment of the service id, `<did>#<id>`.' }),
  type: Type.String(),
  serviceEndpoint: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
})

const CreateServiceBody = Type.Object(
  {
    id: Type.String({ pattern: serviceIdPattern, description: 'Fragment of the service id.' }),
    type: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9._-]{0,99}$', description: 'Service type, such as DataService.' }),
    serviceEndpoint: Type.String({ pattern: '^https?://\\S+$', maxLength: 2048, description: 'Absolute http(s) URL.' }),
  },
  { additionalProperties: false },
)

const ServiceParams = Type.Object({
  participantId: ParticipantIdParam,
  serviceId: Type.String({ pattern: serviceIdPattern }),
})

/**
 * Service entries of a participant's DID document beyond the CredentialService and
 * IssuerService entries its roles add. Every change is audited.
 */
export const didServiceRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['did services']

  app.post(
    '/participants/:participantId/services',
    {
      schema: {
        tags,
        summary: "Add a service entry to the participant's DID document",
        params: ParticipantParams,
        body: CreateServiceBody,
        response: { 201: ServiceSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const body = request.body
      const spec = { action: 'did-service.create', target: `service:${body.id}`, participantId, detail: { ...body } }
      const service = await audited(request, db, spec, async (tx) => {
        const participant = await getParticipant(tx, participantId)
        if (participant.state !== 'active') {
          throw new ConflictError('ERR_PARTICIPANT_DEACTIVATED', `participant "${participantId}" is deactivated`)
        }
        if ((builtInServiceIds as readonly string[]).includes(body.id)) {
          throw new ConflictError('ERR_SERVICE_CONFLICT', `service id "${body.id}" is reserved for the entries of the roles`)
        }
        return insertDidService(tx, participantId, body)
      })
      return reply.status(201).send(serialize(service))
    },
  )

  app.get(
    '/participants/:participantId/services',
    {
      schema: {
        tags,
        summary: 'List the service entries added through this API',
        params: ParticipantParams,
        response: { 200: Type.Object({ items: Type.Array(ServiceSchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      return { items: (await listDidServices(db, participantId)).map(serialize) }
    },
  )

  app.delete(
    '/participants/:participantId/services/:serviceId',
    {
      schema: {
        tags,
        summary: "Remove a service entry from the participant's DID document",
        params: ServiceParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { participantId, serviceId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = { action: 'did-service.delete', target: `service:${serviceId}`, participantId }
      await audited(request, db, spec, (tx) => deleteDidService(tx, participantId, serviceId))
      return reply.status(204).send(null)
    },
  )
}

function serialize(service: StoredDidService) {
  return { ...service, createdAt: service.createdAt.toISOString() }
}
