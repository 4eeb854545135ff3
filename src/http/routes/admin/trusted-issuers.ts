import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { NotFoundError } from '../../../errors/app-error.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import {
  deleteTrustedIssuer,
  listTrustedIssuers,
  upsertTrustedIssuer,
  type TrustedIssuer,
} from '../../../storage/trusted-issuer-repository.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, ParticipantIdParam, ParticipantParams } from '../../schemas.js'

const TrustedIssuerSchema = Type.Object({
  issuerDid: Type.String(),
  credentialTypes: Type.Array(Type.String()),
  relaxedDataModel: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
})

const TrustedIssuerBody = Type.Object(
  {
    credentialTypes: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
      maxItems: 100,
      default: [],
      description: 'Credential types admitted from this issuer; empty admits every type.',
    }),
    relaxedDataModel: Type.Boolean({
      default: false,
      description:
        'Admit credentials whose type lacks VerifiableCredential or whose JWT sub is not the holder, as DCP TCK 1.0.0-RC6 issues them. credentialSubject.id must still be the holder; signature, issuer and dates are still checked.',
    }),
  },
  { additionalProperties: false },
)

const IssuerParams = Type.Object({
  participantId: ParticipantIdParam,
  issuerDid: Type.String({ pattern: '^did:[a-z0-9]+:\\S+$', maxLength: 2048, description: 'Issuer DID, URL-encoded as one path segment.' }),
})

/**
 * Issuers whose credentials a holder accepts without having requested them. Delivery for a request
 * of the holder needs no entry. Every change is audited.
 */
export const trustedIssuerRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['trusted issuers']

  app.get(
    '/participants/:participantId/trusted-issuers',
    {
      schema: {
        tags,
        summary: 'List the issuers trusted for unsolicited credential delivery',
        params: ParticipantParams,
        response: { 200: Type.Object({ items: Type.Array(TrustedIssuerSchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      return { items: (await listTrustedIssuers(db, participantId)).map(serialize) }
    },
  )

  app.put(
    '/participants/:participantId/trusted-issuers/:issuerDid',
    {
      schema: {
        tags,
        summary: 'Trust an issuer, or replace the settings of a trusted one',
        params: IssuerParams,
        body: TrustedIssuerBody,
        response: { 200: TrustedIssuerSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId, issuerDid } = request.params
      authorizeParticipant(request.principal!, participantId)
      const body = request.body
      const spec = { action: 'trusted-issuer.put', target: `issuer:${issuerDid}`, participantId, detail: { ...body } }
      const trusted = await audited(request, db, spec, async (tx) => {
        await getParticipant(tx, participantId)
        return upsertTrustedIssuer(tx, { participantId, issuerDid, ...body })
      })
      return serialize(trusted)
    },
  )

  app.delete(
    '/participants/:participantId/trusted-issuers/:issuerDid',
    {
      schema: {
        tags,
        summary: 'Stop trusting an issuer; credentials already stored are kept',
        params: IssuerParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { participantId, issuerDid } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = { action: 'trusted-issuer.delete', target: `issuer:${issuerDid}`, participantId }
      await audited(request, db, spec, async (tx) => {
        await getParticipant(tx, participantId)
        if (!(await deleteTrustedIssuer(tx, participantId, issuerDid))) {
          throw new NotFoundError('ERR_TRUSTED_ISSUER_NOT_FOUND', `participant "${participantId}" does not trust ${JSON.stringify(issuerDid)}`)
        }
      })
      return reply.status(204).send(null)
    },
  )
}

function serialize(trusted: TrustedIssuer) {
  return {
    issuerDid: trusted.issuerDid,
    credentialTypes: trusted.credentialTypes,
    relaxedDataModel: trusted.relaxedDataModel,
    createdAt: trusted.createdAt.toISOString(),
  }
}
