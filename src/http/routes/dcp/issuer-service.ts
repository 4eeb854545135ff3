import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { dcpContextV1 } from '../../../dcp/context.js'
import { parseCredentialRequestMessage } from '../../../dcp/credential-request-message.js'
import { NotFoundError } from '../../../errors/app-error.js'
import { credentialStatusOf } from '../../../issuer/credential-request.js'
import { buildIssuerMetadata, issuerServiceUrl } from '../../../issuer/issuer-metadata.js'
import { participantIdPattern } from '../../../participants/participant.js'
import { findCredentialRequest } from '../../../storage/issuer-request-repository.js'
import { getCredentialDefinition, listCredentialDefinitions } from '../../../storage/issuer-definition-repository.js'
import type { AppContext } from '../../context.js'
import { activeIssuer } from './active-issuer.js'
import { authenticateDcpCaller } from '../../dcp-caller.js'
import { errorResponses } from '../../schemas.js'

const IssuerParams = Type.Object({ participantId: Type.String({ pattern: participantIdPattern }) })
const RequestParams = Type.Object({
  participantId: Type.String({ pattern: participantIdPattern }),
  issuerPid: Type.String({ maxLength: 256 }),
})
const SchemaParams = Type.Object({
  participantId: Type.String({ pattern: participantIdPattern }),
  definitionId: Type.String({ maxLength: 256 }),
})

const CredentialObjectSchema = Type.Object({
  id: Type.String(),
  type: Type.Literal('CredentialObject'),
  credentialType: Type.String(),
  credentialSchema: Type.String(),
  bindingMethods: Type.Array(Type.String()),
  profile: Type.String(),
  offerReason: Type.String(),
})
const IssuerMetadataSchema = Type.Object({
  '@context': Type.Array(Type.String()),
  type: Type.Literal('IssuerMetadata'),
  issuer: Type.String(),
  credentialsSupported: Type.Array(CredentialObjectSchema),
})
const CredentialStatusSchema = Type.Object({
  '@context': Type.Array(Type.String()),
  type: Type.Literal('CredentialStatus'),
  issuerPid: Type.String(),
  holderPid: Type.String(),
  status: Type.Union([Type.Literal('RECEIVED'), Type.Literal('ISSUED'), Type.Literal('REJECTED')]),
})

/**
 * Registers the DCP Issuer Service of each issuing participant under `/p/{participantId}/is`.
 * Metadata is open to all, and credential requests and their status need the holder's
 * Self-Issued ID token.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#issuer-service
 */
export const issuerServiceRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db, config } = context
  const tags = ['issuer service']

  app.get(
    '/p/:participantId/is/metadata',
    {
      schema: {
        tags,
        summary: 'IssuerMetadata: the credentials this issuer offers',
        params: IssuerParams,
        response: { 200: IssuerMetadataSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const issuer = await activeIssuer(request, context, request.params.participantId)
      return buildIssuerMetadata(issuer, await listCredentialDefinitions(db, issuer.id), config.publicBaseUrl)
    },
  )

  app.get(
    '/p/:participantId/is/schemas/:definitionId',
    {
      schema: { tags, summary: 'JSON Schema of the credentialSubject of an offered credential', params: SchemaParams },
    },
    async (request) => {
      const issuer = await activeIssuer(request, context, request.params.participantId)
      const definition = await getCredentialDefinition(db, issuer.id, request.params.definitionId)
      return definition.subjectSchema ?? { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }
    },
  )

  // The body is checked after the token, so an unauthenticated caller learns nothing from it.
  app.post(
    '/p/:participantId/is/credentials',
    {
      schema: {
        tags,
        summary: 'Accept a CredentialRequestMessage; 201 with Location of its status',
        params: IssuerParams,
        response: { 201: Type.Null(), ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params
      const { participant, token } = await authenticateDcpCaller(request, context, participantId, 'issuer')
      const message = parseCredentialRequestMessage(request.body)
      const stored = await context.issuer.issuance.receive(participant, token.issuer, message)
      const location = `${issuerServiceUrl(config.publicBaseUrl, participantId)}/requests/${stored.issuerPid}`
      return reply.status(201).header('location', location).send(null)
    },
  )

  app.get(
    '/p/:participantId/is/requests/:issuerPid',
    {
      schema: {
        tags,
        summary: 'CredentialStatus of a request, for the holder that sent it',
        params: RequestParams,
        response: { 200: CredentialStatusSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const { participantId, issuerPid } = request.params
      const { token } = await authenticateDcpCaller(request, context, participantId, 'issuer')
      const stored = await findCredentialRequest(db, participantId, issuerPid)
      // Another holder's request looks unknown, so ids cannot be probed.
      if (!stored || stored.holderDid !== token.issuer) {
        throw new NotFoundError('ERR_ISSUER_REQUEST_NOT_FOUND', `no credential request "${issuerPid}" of this holder`)
      }
      return {
        '@context': [dcpContextV1],
        type: 'CredentialStatus' as const,
        issuerPid: stored.issuerPid,
        holderPid: stored.holderPid,
        status: credentialStatusOf(stored.state),
      }
    },
  )
}
