import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { changeCredentialStatus, type StatusAction } from '../../../issuer/credential-status-change.js'
import { didWebPattern } from '../../../participants/participant.js'
import { listIssuedCredentials, type IssuedCredential } from '../../../storage/issued-credential-repository.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, PageLimit, ParticipantIdParam, ParticipantParams } from '../../schemas.js'

const Position = Type.Object({ listId: Type.String(), index: Type.Integer() })
const IssuedSchema = Type.Object({
  id: Type.String(),
  issuerPid: Type.String(),
  holderDid: Type.String(),
  definitionId: Type.String(),
  credentialType: Type.String(),
  profile: Type.String(),
  status: Type.String({ description: 'active, suspended or revoked.' }),
  revocation: Position,
  suspension: Type.Union([Position, Type.Null()]),
  issuedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
})

const CredentialParams = Type.Object({
  participantId: ParticipantIdParam,
  credentialId: Type.String({ format: 'uuid' }),
})

const summaries: Record<StatusAction, string> = {
  revoke: 'Revoke an issued credential for good',
  suspend: 'Suspend an issued credential of a suspendable definition',
  resume: 'Lift the suspension of an issued credential',
}

/** Issued credentials of an issuer and their revocation, suspension and resumption. */
export const issuerCredentialRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['issuer']
  const base = '/participants/:participantId/issuer/issued-credentials'

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List issued credentials, newest first',
        params: ParticipantParams,
        querystring: Type.Object({ holderDid: Type.Optional(Type.String({ pattern: didWebPattern })), limit: PageLimit }),
        response: { 200: Type.Object({ items: Type.Array(IssuedSchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      return { items: (await listIssuedCredentials(db, participantId, request.query)).map(serialize) }
    },
  )

  for (const action of ['revoke', 'suspend', 'resume'] as const) {
    app.post(
      `${base}/:credentialId/${action}`,
      {
        schema: {
          tags,
          summary: summaries[action],
          params: CredentialParams,
          response: { 200: IssuedSchema, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { participantId, credentialId } = request.params
        authorizeParticipant(request.principal!, participantId)
        const spec = { action: `issued-credential.${action}`, target: `credential:${credentialId}`, participantId }
        return serialize(await audited(request, db, spec, (tx) => changeCredentialStatus(tx, participantId, credentialId, action)))
      },
    )
  }
}

function serialize(credential: IssuedCredential) {
  return {
    id: credential.id,
    issuerPid: credential.issuerPid,
    holderDid: credential.holderDid,
    definitionId: credential.definitionId,
    credentialType: credential.credentialType,
    profile: credential.profile,
    status: credential.status,
    revocation: credential.revocation,
    suspension: credential.suspension,
    issuedAt: credential.issuedAt.toISOString(),
    expiresAt: credential.expiresAt.toISOString(),
  }
}
