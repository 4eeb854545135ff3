import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../../../errors/app-error.js'
import {
  findCredentialRequestById,
  listCredentialRequests,
  type CredentialRequest,
} from '../../../storage/credential-request-repository.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, PageLimit, ParticipantIdParam, ParticipantParams } from '../../schemas.js'

const Timestamp = Type.String({ format: 'date-time' })
const NullableString = Type.Union([Type.String(), Type.Null()])

const RequestSchema = Type.Object({
  id: Type.String(),
  holderPid: Type.String({ description: 'This holder\'s id of the request, echoed in the issuer\'s CredentialMessage.' }),
  issuerDid: Type.String(),
  issuerPid: Type.Union([Type.String(), Type.Null()], { description: 'The issuer\'s id of the request, from the Location header of its 201.' }),
  state: Type.String({
    description:
      'pending: not yet accepted by the issuer and sent again at nextAttemptAt; requested: accepted, waiting for delivery, polled at nextAttemptAt; issued; rejected; error: given up, see lastError.',
  }),
  credentialTypes: Type.Array(Type.String()),
  credentialObjectIds: Type.Array(Type.String(), { description: 'Ids of the issuer metadata\'s CredentialObjects that were sent.' }),
  attempts: Type.Integer({ description: 'Failed send attempts and polls so far.' }),
  lastError: NullableString,
  rejectionReason: NullableString,
  renewsCredentialId: Type.Union([Type.String(), Type.Null()], { description: 'The stored credential this request renews.' }),
  nextAttemptAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})

const CreateBody = Type.Object(
  {
    issuerDid: Type.String({ minLength: 8, maxLength: 2048, pattern: '^did:' }),
    credentials: Type.Optional(
      Type.Array(Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 32,
        description: 'CredentialObject ids from the issuer metadata. Give this or credentialTypes.',
      }),
    ),
    credentialTypes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
        minItems: 1,
        maxItems: 32,
        description: 'Credential types, matched against the credentialType of the issuer metadata\'s entries. Give this or credentials.',
      }),
    ),
  },
  { additionalProperties: false },
)

const RequestParams = Type.Object({
  participantId: ParticipantIdParam,
  requestId: Type.String({ format: 'uuid' }),
})
const ListQuery = Type.Object({
  state: Type.Optional(
    Type.Union(['pending', 'requested', 'issued', 'rejected', 'error'].map((state) => Type.Literal(state))),
  ),
  limit: PageLimit,
})

/**
 * Credential requests that a participant sends as a holder to issuers through the DCP Credential
 * Request API, and their retry. Creating and retrying are audited.
 */
export const holderCredentialRequestRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['holder credentials']
  const base = '/participants/:participantId/credential-requests'

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Request credentials from an issuer',
        description:
          'Resolves the issuer DID, reads its IssuerService metadata and sends a CredentialRequestMessage. 201 with state requested when the issuer accepted it, or pending when the issuer could not be reached; a pending request is sent again in the background.',
        params: ParticipantParams,
        body: CreateBody,
        response: { 201: RequestSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const { issuerDid, credentials, credentialTypes } = request.body
      if ((credentials === undefined) === (credentialTypes === undefined)) {
        throw new AppError('ERR_REQUEST_INVALID', 'give exactly one of "credentials" and "credentialTypes"')
      }
      const participant = await getParticipant(db, participantId)
      const input = {
        issuerDid,
        credentialObjectIds: [...new Set((credentials ?? []).map((entry) => entry.id))],
        credentialTypes: [...new Set(credentialTypes ?? [])],
      }
      const spec = {
        action: 'credential-request.create',
        target: `issuer:${issuerDid}`,
        participantId,
        detail: { ...input },
        resultDetail: (result: unknown) => ({ requestId: (result as CredentialRequest).id }),
      }
      // The service calls the issuer outside the audit transaction, which then only records the outcome.
      const outcome = await settle(context.credentialRequests.create(participant, input))
      const created = await audited(request, db, spec, async () => outcome())
      return reply.status(201).send(serializeRequest(created))
    },
  )

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List credential requests, newest first',
        params: ParticipantParams,
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(RequestSchema) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      const { state, limit } = request.query
      const requests = await listCredentialRequests(db, { participantId, limit, ...(state ? { state: state as CredentialRequest['state'] } : {}) })
      return { items: requests.map(serializeRequest) }
    },
  )

  app.get(
    `${base}/:requestId`,
    {
      schema: { tags, summary: 'Read a credential request', params: RequestParams, response: { 200: RequestSchema, ...errorResponses(400, 401, 403, 404) } },
    },
    async (request) => {
      const { participantId, requestId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const found = await findCredentialRequestById(db, participantId, requestId)
      if (!found) throw new AppError('ERR_CREDENTIAL_REQUEST_NOT_FOUND', `participant "${participantId}" has no credential request "${requestId}"`)
      return serializeRequest(found)
    },
  )

  app.post(
    `${base}/:requestId/retry`,
    {
      schema: {
        tags,
        summary: 'Send an error or rejected request again, under a new holderPid and with a fresh attempt budget',
        params: RequestParams,
        response: { 200: RequestSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { participantId, requestId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = { action: 'credential-request.retry', target: `credential-request:${requestId}`, participantId }
      const outcome = await settle(context.credentialRequests.retry(participantId, requestId))
      return serializeRequest(await audited(request, db, spec, async () => outcome()))
    },
  )
}

/** Waits for `work` and returns a function that returns its result or raises its error. */
async function settle<T>(work: Promise<T>): Promise<() => T> {
  try {
    const result = await work
    return () => result
  } catch (error) {
    return () => {
      throw error
    }
  }
}

export function serializeRequest(request: CredentialRequest) {
  return {
    id: request.id,
    holderPid: request.holderPid,
    issuerDid: request.issuerDid,
    issuerPid: request.issuerPid,
    state: request.state,
    credentialTypes: request.credentialTypes,
    credentialObjectIds: request.credentialObjectIds,
    attempts: request.attempts,
    lastError: request.lastError,
    rejectionReason: request.rejectionReason,
    renewsCredentialId: request.renewsCredentialId,
    nextAttemptAt: request.nextAttemptAt?.toISOString() ?? null,
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
  }
}
