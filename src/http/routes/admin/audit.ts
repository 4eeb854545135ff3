import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { listAuditEvents } from '../../../storage/audit-repository.js'
import type { AppContext } from '../../context.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, PageLimit, ParticipantIdParam } from '../../schemas.js'

const AuditEventSchema = Type.Object({
  id: Type.Integer(),
  occurredAt: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  target: Type.String(),
  participantId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  errorCode: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
})

const AuditQuery = Type.Object(
  {
    participantId: Type.Optional(ParticipantIdParam),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    actor: Type.Optional(Type.String({ maxLength: 100 })),
    outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure')])),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'Id below which the page starts.' })),
    limit: PageLimit,
  },
  { additionalProperties: false },
)

export const auditRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Read audit rows, newest first; an API key sees only its own participant',
        querystring: AuditQuery,
        response: {
          200: Type.Object({
            items: Type.Array(AuditEventSchema),
            next: Type.Union([Type.Integer(), Type.Null()], { description: 'Value of `before` for the next page.' }),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const principal = request.principal!
      const query = request.query
      const participantId = principal.kind === 'participant' ? principal.participantId : query.participantId
      if (query.participantId) authorizeParticipant(principal, query.participantId)
      const items = await listAuditEvents(context.db, {
        limit: query.limit,
        ...(participantId ? { participantId } : {}),
        ...(query.action ? { action: query.action } : {}),
        ...(query.actor ? { actor: query.actor } : {}),
        ...(query.outcome ? { outcome: query.outcome } : {}),
        ...(query.since ? { since: new Date(query.since) } : {}),
        ...(query.until ? { until: new Date(query.until) } : {}),
        ...(query.before ? { before: query.before } : {}),
      })
      return {
        items: items.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })),
        next: items.length === query.limit ? items.at(-1)!.id : null,
      }
    },
  )
}
