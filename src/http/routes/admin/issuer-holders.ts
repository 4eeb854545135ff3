import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { IssuerHolder } from '../../../issuer/holder.js'
import { didWebPattern } from '../../../participants/participant.js'
import {
  deleteIssuerHolder,
  getIssuerHolder,
  insertIssuerHolder,
  listIssuerHolders,
  updateIssuerHolder,
} from '../../../storage/issuer-holder-repository.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, ParticipantIdParam, ParticipantParams } from '../../schemas.js'

const HolderBody = Type.Object(
  {
    did: Type.String({ pattern: didWebPattern, maxLength: 512 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    attributes: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }), Type.Unknown(), {
        description: 'Attributes that credential claims read, such as {"bpn": "BPNL000000000001"}.',
      }),
    ),
  },
  { additionalProperties: false },
)

const HolderSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  did: Type.String(),
  name: Type.String(),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
})

const HolderParams = Type.Object({
  participantId: ParticipantIdParam,
  holderId: Type.String({ format: 'uuid' }),
})

/** Registers the routes of an issuer's holders registry: who may request credentials, and their attributes. */
export const issuerHolderRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['issuer']
  const base = '/participants/:participantId/issuer/holders'

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Register a holder',
        params: ParticipantParams,
        body: HolderBody,
        response: { 201: HolderSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const input = { ...request.body, attributes: request.body.attributes ?? {} }
      const spec = { action: 'issuer-holder.create', target: `holder:${input.did}`, participantId, detail: { ...input } }
      const holder = await audited(request, db, spec, async (tx) => {
        await getParticipant(tx, participantId)
        return insertIssuerHolder(tx, participantId, input)
      })
      return reply.status(201).send(serialize(holder))
    },
  )

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List registered holders',
        params: ParticipantParams,
        response: { 200: Type.Object({ items: Type.Array(HolderSchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      return { items: (await listIssuerHolders(db, participantId)).map(serialize) }
    },
  )

  app.get(
    `${base}/:holderId`,
    {
      schema: { tags, summary: 'Read a holder', params: HolderParams, response: { 200: HolderSchema, ...errorResponses(401, 403, 404) } },
    },
    async (request) => {
      const { participantId, holderId } = request.params
      authorizeParticipant(request.principal!, participantId)
      return serialize(await getIssuerHolder(db, participantId, holderId))
    },
  )

  app.put(
    `${base}/:holderId`,
    {
      schema: {
        tags,
        summary: "Replace a holder's DID, name and attributes",
        params: HolderParams,
        body: HolderBody,
        response: { 200: HolderSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { participantId, holderId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const input = { ...request.body, attributes: request.body.attributes ?? {} }
      const spec = { action: 'issuer-holder.update', target: `holder:${holderId}`, participantId, detail: { ...input } }
      return serialize(await audited(request, db, spec, (tx) => updateIssuerHolder(tx, participantId, holderId, input)))
    },
  )

  app.delete(
    `${base}/:holderId`,
    {
      schema: { tags, summary: 'Remove a holder', params: HolderParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      const { participantId, holderId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = { action: 'issuer-holder.delete', target: `holder:${holderId}`, participantId }
      await audited(request, db, spec, (tx) => deleteIssuerHolder(tx, participantId, holderId))
      return reply.status(204).send(null)
    },
  )
}

function serialize(holder: IssuerHolder) {
  return { ...holder, createdAt: holder.createdAt.toISOString() }
}
