import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ConflictError, NotFoundError } from '../../../errors/app-error.js'
import type { CredentialRequest } from '../../../issuer/credential-request.js'
import { listDeliveries, retryDeadDelivery, type Delivery } from '../../../storage/delivery-repository.js'
import { findIssuerHolderByDid } from '../../../storage/issuer-holder-repository.js'
import {
  findCredentialRequest,
  listCredentialRequests,
  lockCredentialRequest,
} from '../../../storage/issuer-request-repository.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, PageLimit, ParticipantIdParam, ParticipantParams } from '../../schemas.js'

const RequestSchema = Type.Object({
  issuerPid: Type.String(),
  holderDid: Type.String(),
  holderPid: Type.String(),
  definitionIds: Type.Array(Type.String()),
  state: Type.String({ description: 'received, issued or rejected.' }),
  rejectionReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
})

const DeliverySchema = Type.Object({
  id: Type.String(),
  issuerPid: Type.String(),
  state: Type.String({ description: 'pending, delivering, delivered or dead.' }),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String({ format: 'date-time' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

const RequestParams = Type.Object({
  participantId: ParticipantIdParam,
  issuerPid: Type.String({ format: 'uuid' }),
})
const DeliveryParams = Type.Object({
  participantId: ParticipantIdParam,
  deliveryId: Type.String({ pattern: '^[0-9]{1,18}$' }),
})
const RequestQuery = Type.Object({
  state: Type.Optional(Type.Union([Type.Literal('received'), Type.Literal('issued'), Type.Literal('rejected')])),
  limit: PageLimit,
})
const DeliveryQuery = Type.Object({
  state: Type.Optional(
    Type.Union([Type.Literal('pending'), Type.Literal('delivering'), Type.Literal('delivered'), Type.Literal('dead')]),
  ),
  limit: PageLimit,
})

/**
 * Credential requests of an issuer, their manual approval or rejection, and the deliveries of
 * their CredentialMessages, with a retry for dead ones. Every decision is audited.
 */
export const issuerRequestRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['issuer']
  const base = '/participants/:participantId/issuer/credential-requests'

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List credential requests, newest first',
        params: ParticipantParams,
        querystring: RequestQuery,
        response: { 200: Type.Object({ items: Type.Array(RequestSchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      return { items: (await listCredentialRequests(db, participantId, request.query)).map(serializeRequest) }
    },
  )

  app.get(
    `${base}/:issuerPid`,
    {
      schema: { tags, summary: 'Read a credential request', params: RequestParams, response: { 200: RequestSchema, ...errorResponses(401, 403, 404) } },
    },
    async (request) => {
      const { participantId, issuerPid } = request.params
      authorizeParticipant(request.principal!, participantId)
      const found = await findCredentialRequest(db, participantId, issuerPid)
      if (!found) throw new NotFoundError('ERR_ISSUER_REQUEST_NOT_FOUND', `issuer "${participantId}" has no credential request "${issuerPid}"`)
      return serializeRequest(found)
    },
  )

  app.post(
    `${base}/:issuerPid/approve`,
    {
      schema: {
        tags,
        summary: 'Approve a received request: issue its credentials and queue their delivery',
        description: 'A holder lacking an attribute that a claim needs makes the request rejected instead, with the reason.',
        params: RequestParams,
        response: { 200: RequestSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { participantId, issuerPid } = request.params
      authorizeParticipant(request.principal!, participantId)
      const stored = await findCredentialRequest(db, participantId, issuerPid)
      if (!stored) throw new NotFoundError('ERR_ISSUER_REQUEST_NOT_FOUND', `issuer "${participantId}" has no credential request "${issuerPid}"`)
      if (stored.state !== 'received') {
        throw new ConflictError('ERR_ISSUER_REQUEST_STATE', `credential request "${issuerPid}" is ${stored.state}, not received`)
      }
      // Signing may call KMS, so it runs before the audited transaction, which only stores the outcome.
      const issuer = await getParticipant(db, participantId)
      const holder = await findIssuerHolderByDid(db, participantId, stored.holderDid)
      const decision = await context.issuer.issuance.prepare(issuer, stored, holder?.attributes ?? {})
      const spec = { action: 'issuer-request.approve', target: `credential-request:${issuerPid}`, participantId }
      const decided = await audited(request, db, spec, (tx) => context.issuer.issuance.commit(tx, decision))
      context.issuer.delivery.kick()
      return serializeRequest(decided)
    },
  )

  app.post(
    `${base}/:issuerPid/reject`,
    {
      schema: {
        tags,
        summary: 'Reject a received request and tell the holder',
        params: RequestParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: RequestSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { participantId, issuerPid } = request.params
      authorizeParticipant(request.principal!, participantId)
      const { reason } = request.body
      const spec = { action: 'issuer-request.reject', target: `credential-request:${issuerPid}`, participantId, detail: { reason } }
      const rejected = await audited(request, db, spec, async (tx) => {
        const stored = await lockCredentialRequest(tx, participantId, issuerPid)
        return context.issuer.issuance.reject(tx, stored, reason)
      })
      context.issuer.delivery.kick()
      return serializeRequest(rejected)
    },
  )

  app.get(
    '/participants/:participantId/issuer/deliveries',
    {
      schema: {
        tags,
        summary: 'List deliveries of CredentialMessages, newest first',
        params: ParticipantParams,
        querystring: DeliveryQuery,
        response: { 200: Type.Object({ items: Type.Array(DeliverySchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      return { items: (await listDeliveries(db, participantId, request.query)).map(serializeDelivery) }
    },
  )

  app.post(
    '/participants/:participantId/issuer/deliveries/:deliveryId/retry',
    {
      schema: {
        tags,
        summary: 'Queue a dead delivery again with a fresh attempt budget',
        params: DeliveryParams,
        response: { 200: DeliverySchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { participantId, deliveryId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = { action: 'issuer-delivery.retry', target: `delivery:${deliveryId}`, participantId }
      const delivery = await audited(request, db, spec, (tx) => retryDeadDelivery(tx, participantId, deliveryId))
      context.issuer.delivery.kick()
      return serializeDelivery(delivery)
    },
  )
}

function serializeRequest(request: CredentialRequest) {
  return {
    issuerPid: request.issuerPid,
    holderDid: request.holderDid,
    holderPid: request.holderPid,
    definitionIds: request.definitionIds,
    state: request.state,
    rejectionReason: request.rejectionReason,
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
  }
}

function serializeDelivery(delivery: Delivery) {
  return {
    id: delivery.id,
    issuerPid: delivery.issuerPid,
    state: delivery.state,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt.toISOString(),
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  }
}
