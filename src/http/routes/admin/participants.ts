import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { didWebPattern, participantIdPattern, type Participant } from '../../../participants/participant.js'
import {
  deleteParticipant,
  getParticipant,
  insertParticipant,
  listParticipants,
  setParticipantState,
} from '../../../storage/participant-repository.js'
import type { KeyUsage } from '../../../keys/key.js'
import { digest } from '../../../participants/api-key-secret.js'
import { insertStsClient } from '../../../storage/sts-client-repository.js'
import { generateClientSecret } from '../../../sts/client-secret.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant, requireAdmin } from '../../plugins/authentication.js'
import { PageLimit, errorResponses } from '../../schemas.js'

const ParticipantId = Type.String({ pattern: participantIdPattern, description: 'URL-safe participant id.' })

export const ParticipantSchema = Type.Object(
  {
    id: ParticipantId,
    did: Type.String(),
    displayName: Type.String(),
    roles: Type.Array(Type.Union([Type.Literal('holder'), Type.Literal('issuer')])),
    state: Type.Union([Type.Literal('active'), Type.Literal('deactivated')]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
)

const CreateParticipantBody = Type.Object(
  {
    id: Type.Optional(ParticipantId),
    did: Type.String({ pattern: didWebPattern, maxLength: 512, description: 'did:web of the participant.' }),
    displayName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Name shown in lists; defaults to the id, as in a seed file.' }),
    ),
    roles: Type.Array(Type.Union([Type.Literal('holder'), Type.Literal('issuer')]), {
      minItems: 1,
      maxItems: 2,
      uniqueItems: true,
    }),
    stsClientId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 512, description: 'Client id of the STS client; defaults to the DID.' }),
    ),
    createKey: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'Create one ES256 key in the default custody for the usages the roles need: sign_token, plus sign_presentation for holders and sign_credentials for issuers.',
      }),
    ),
  },
  { additionalProperties: false },
)

const CreatedParticipant = Type.Object({
  ...ParticipantSchema.properties,
  stsClient: Type.Object({
    clientId: Type.String(),
    clientSecret: Type.String({ description: 'The STS client secret. It is shown only in this response.' }),
  }),
})

const ParticipantParams = Type.Object({ participantId: ParticipantId })

const ListQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deactivated')])),
    limit: PageLimit,
    after: Type.Optional(ParticipantId),
  },
  { additionalProperties: false },
)

const ParticipantPage = Type.Object({
  items: Type.Array(ParticipantSchema),
  next: Type.Union([Type.String(), Type.Null()], { description: 'Value of `after` for the next page.' }),
})

export const participantRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['participants']

  app.post(
    '/participants',
    {
      schema: {
        tags,
        summary: 'Create a participant and its STS client (admin token only); the client secret is shown once',
        body: CreateParticipantBody,
        response: { 201: CreatedParticipant, ...errorResponses(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      requireAdmin(request.principal!)
      const { stsClientId, createKey, ...fields }: Static<typeof CreateParticipantBody> = request.body
      const target = `participant:${fields.id ?? fields.did}`
      const clientSecret = generateClientSecret()
      const { participant, stsClient } = await audited(
        request,
        db,
        { action: 'participant.create', target, participantId: fields.id ?? null, detail: { did: fields.did } },
        async (tx) => {
          const participant = await insertParticipant(tx, { ...fields, displayName: fields.displayName ?? fields.id ?? fields.did })
          const stsClient = await insertStsClient(tx, {
            participantId: participant.id,
            clientId: stsClientId ?? participant.did,
            secretHash: digest(clientSecret),
          })
          if (createKey !== false) {
            await context.keyManager.create(
              participant.id,
              { usages: usagesFor(participant.roles) },
              { transaction: (work) => work(tx) },
            )
          }
          return { participant, stsClient }
        },
      )
      // A lookup of the new client id may be cached as unknown, which would reject it for up to 5 s.
      context.sts.forgetParticipant(participant.id)
      context.participants.forget()
      context.hostedDids.forget()
      request.log.info({ participantId: participant.id, did: participant.did }, 'participant created')
      return reply
        .status(201)
        .send({ ...serialize(participant), stsClient: { clientId: stsClient.clientId, clientSecret } })
    },
  )

  app.get(
    '/participants',
    {
      schema: {
        tags,
        summary: 'List participants; an API key sees only its own',
        querystring: ListQuery,
        response: { 200: ParticipantPage, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const principal = request.principal!
      const { limit, state, after } = request.query
      const items = await listParticipants(db, {
        limit,
        ...(state ? { state } : {}),
        ...(after ? { after } : {}),
        ...(principal.kind === 'participant' ? { id: principal.participantId } : {}),
      })
      return { items: items.map(serialize), next: items.length === limit ? items.at(-1)!.id : null }
    },
  )

  app.get(
    '/participants/:participantId',
    {
      schema: {
        tags,
        summary: 'Read a participant',
        params: ParticipantParams,
        response: { 200: ParticipantSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      authorizeParticipant(request.principal!, request.params.participantId)
      return serialize(await getParticipant(db, request.params.participantId))
    },
  )

  for (const [verb, state] of [['deactivate', 'deactivated'], ['activate', 'active']] as const) {
    app.post(
      `/participants/:participantId/${verb}`,
      {
        schema: {
          tags,
          summary: `${verb === 'deactivate' ? 'Deactivate' : 'Reactivate'} a participant (admin token only)`,
          params: ParticipantParams,
          response: { 200: ParticipantSchema, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        requireAdmin(request.principal!)
        const { participantId } = request.params
        const participant = await audited(
          request,
          db,
          { action: `participant.${verb}`, target: `participant:${participantId}`, participantId },
          (tx) => setParticipantState(tx, participantId, state),
        )
        context.sts.forgetClients()
        context.participants.forget()
        context.hostedDids.forget()
        request.log.info({ participantId, state }, 'participant state changed')
        return serialize(participant)
      },
    )
  }

  app.delete(
    '/participants/:participantId',
    {
      schema: {
        tags,
        summary: 'Delete a participant and everything it owns (admin token only)',
        params: ParticipantParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      requireAdmin(request.principal!)
      const { participantId } = request.params
      await audited(
        request,
        db,
        { action: 'participant.delete', target: `participant:${participantId}`, participantId },
        (tx) => deleteParticipant(tx, participantId),
      )
      context.sts.forgetClients()
      context.keyManager.forgetParticipant(participantId)
      context.participants.forget()
      context.hostedDids.forget()
      request.log.info({ participantId }, 'participant deleted')
      return reply.status(204).send(null)
    },
  )
}

/** Usages of the key created with a participant: what its roles sign. */
function usagesFor(roles: Participant['roles']): KeyUsage[] {
  const usages: KeyUsage[] = ['sign_token']
  if (roles.includes('holder')) usages.push('sign_presentation')
  if (roles.includes('issuer')) usages.push('sign_credentials')
  return usages
}

function serialize(participant: Participant) {
  return {
    ...participant,
    createdAt: participant.createdAt.toISOString(),
    updatedAt: participant.updatedAt.toISOString(),
  }
}
