import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { ParsedCredential } from '../../../credentials/parsed-credential.js'
import { NotFoundError } from '../../../errors/app-error.js'
import { verifyImportedCredential } from '../../../holder/import-credential.js'
import {
  deleteCredential,
  findCredential,
  insertCredential,
  listCredentials,
  type StoredCredential,
} from '../../../storage/credential-repository.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, PageLimit, ParticipantIdParam, ParticipantParams } from '../../schemas.js'

const CredentialSummary = Type.Object({
  id: Type.String({ description: 'Id of the stored credential in this service.' }),
  credentialId: Type.Union([Type.String(), Type.Null()], { description: '`id` of the credential itself.' }),
  profile: Type.String(),
  types: Type.Array(Type.String()),
  issuerDid: Type.String(),
  subjectDid: Type.Union([Type.String(), Type.Null()]),
  state: Type.String({ description: 'issued, revoked or suspended.' }),
  validFrom: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  validUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  issuerPid: Type.Union([Type.String(), Type.Null()]),
  holderPid: Type.Union([Type.String(), Type.Null()]),
  receivedAt: Type.String({ format: 'date-time' }),
})

const CredentialDetail = Type.Intersect([
  CredentialSummary,
  Type.Object({
    raw: Type.String({ description: 'The credential exactly as received.' }),
    document: Type.Object({}, { additionalProperties: true }),
    statusEntries: Type.Array(Type.Object({}, { additionalProperties: true })),
  }),
])

const CredentialParams = Type.Object({
  participantId: ParticipantIdParam,
  credentialId: Type.String({ format: 'uuid' }),
})
const ListQuery = Type.Object({
  type: Type.Optional(Type.String({ maxLength: 256 })),
  issuerDid: Type.Optional(Type.String({ maxLength: 2048 })),
  state: Type.Optional(Type.Union([Type.Literal('issued'), Type.Literal('revoked'), Type.Literal('suspended')])),
  after: Type.Optional(Type.String({ format: 'uuid', description: 'Value of `next` from the previous page.' })),
  limit: PageLimit,
})
const ImportBody = Type.Object(
  {
    credential: Type.Union(
      [
        Type.String({ minLength: 1, maxLength: 256 * 1024 }),
        Type.Object({}, { additionalProperties: true, maxProperties: 64 }),
      ],
      {
        description:
          'A VC-JWT issued to the participant, or a VC 2.0 JSON-LD credential with a Data Integrity proof, as an object or its JSON text.',
      },
    ),
  },
  { additionalProperties: false },
)

/** The credentials a holder stores: import, list, read and delete. Changes are audited. */
export const holderCredentialRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['holder credentials']
  const intake = { resolver: context.resolver, leewaySeconds: context.config.tokens.clockLeewaySeconds }

  app.post(
    '/participants/:participantId/credentials',
    {
      schema: {
        tags,
        summary: 'Import a credential after verifying it as the Storage API does',
        params: ParticipantParams,
        body: ImportBody,
        response: { 201: CredentialDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = {
        action: 'credential.import',
        target: `participant:${participantId}`,
        participantId,
        resultDetail: (result: unknown) => ({ credentialId: (result as StoredCredential).id }),
      }
      const participant = await getParticipant(db, participantId)
      const holder = { participantId, did: participant.did }
      // Verified before the audited transaction opens, and a rejected import is still audited inside it.
      const { credential } = request.body
      const raw = typeof credential === 'string' ? credential : JSON.stringify(credential)
      const verified = await verifyImportedCredential(db, intake, holder, raw).catch((error: unknown) => error)
      const stored = await audited(request, db, spec, async (tx) => {
        if (verified instanceof Error) throw verified
        return insertCredential(tx, { participantId, credential: verified as ParsedCredential })
      })
      return reply.status(201).send(detail(stored))
    },
  )

  app.get(
    '/participants/:participantId/credentials',
    {
      schema: {
        tags,
        summary: 'List stored credentials, newest first',
        params: ParticipantParams,
        querystring: ListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(CredentialSummary),
            next: Type.Union([Type.String(), Type.Null()], { description: 'Value of `after` for the next page.' }),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      const { type, issuerDid, state, after, limit } = request.query
      const items = await listCredentials(db, {
        participantId,
        limit,
        ...(type ? { type } : {}),
        ...(issuerDid ? { issuerDid } : {}),
        ...(state ? { state } : {}),
        ...(after ? { afterId: after } : {}),
      })
      return { items: items.map(summary), next: items.length === limit ? items[items.length - 1]!.id : null }
    },
  )

  app.get(
    '/participants/:participantId/credentials/:credentialId',
    {
      schema: {
        tags,
        summary: 'Read a stored credential',
        params: CredentialParams,
        response: { 200: CredentialDetail, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId, credentialId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      const stored = await findCredential(db, participantId, credentialId)
      if (!stored) throw notFound(participantId, credentialId)
      return detail(stored)
    },
  )

  app.delete(
    '/participants/:participantId/credentials/:credentialId',
    {
      schema: {
        tags,
        summary: 'Delete a stored credential',
        params: CredentialParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { participantId, credentialId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = { action: 'credential.delete', target: `credential:${credentialId}`, participantId }
      await audited(request, db, spec, async (tx) => {
        await getParticipant(tx, participantId)
        if (!(await deleteCredential(tx, participantId, credentialId))) throw notFound(participantId, credentialId)
      })
      return reply.status(204).send(null)
    },
  )
}

function notFound(participantId: string, credentialId: string): NotFoundError {
  return new NotFoundError('ERR_CREDENTIAL_NOT_FOUND', `credential "${credentialId}" of participant "${participantId}" not found`)
}

function summary(credential: StoredCredential) {
  return {
    id: credential.id,
    credentialId: credential.credentialId,
    profile: credential.profile,
    types: credential.types,
    issuerDid: credential.issuerDid,
    subjectDid: credential.subjectDid,
    state: credential.state,
    validFrom: credential.validFrom?.toISOString() ?? null,
    validUntil: credential.validUntil?.toISOString() ?? null,
    issuerPid: credential.issuerPid,
    holderPid: credential.holderPid,
    receivedAt: credential.receivedAt.toISOString(),
  }
}

function detail(credential: StoredCredential) {
  return { ...summary(credential), raw: credential.raw, document: credential.document, statusEntries: credential.statusEntries }
}
