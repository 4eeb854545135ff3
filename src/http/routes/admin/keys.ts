import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { keyIdPattern } from '../../../keys/key-ids.js'
import type { TransactionRunner } from '../../../keys/key-manager.js'
import { keyUsages, type ParticipantKey } from '../../../keys/key.js'
import type { AuditSpec } from '../../../storage/audited-transaction.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, ParticipantIdParam, ParticipantParams } from '../../schemas.js'

const KeyUsage = Type.Union([Type.Literal('sign_token'), Type.Literal('sign_presentation'), Type.Literal('sign_credentials')])
const KeyAlgorithm = Type.Union([Type.Literal('ES256'), Type.Literal('EdDSA')])
const KeyCustody = Type.Union([Type.Literal('local'), Type.Literal('aws-kms'), Type.Literal('kms-envelope')])
const KeyState = Type.Union([Type.Literal('active'), Type.Literal('rotated'), Type.Literal('revoked')])

const PublicJwk = Type.Object({
  kty: Type.String(),
  crv: Type.String(),
  x: Type.String(),
  y: Type.Optional(Type.String()),
})

const KeySchema = Type.Object({
  id: Type.String(),
  participantId: Type.String(),
  fragment: Type.String({ description: 'Fragment of the verification method id, `<did>#<fragment>`.' }),
  algorithm: KeyAlgorithm,
  usages: Type.Array(KeyUsage),
  custody: KeyCustody,
  state: KeyState,
  defaultFor: Type.Array(KeyUsage, { description: 'Usages for which this key is the default signing key.' }),
  publicJwk: PublicJwk,
  createdAt: Type.String({ format: 'date-time' }),
  rotatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

const CreateKeyBody = Type.Object(
  {
    usages: Type.Array(KeyUsage, { minItems: 1, maxItems: keyUsages.length, uniqueItems: true }),
    algorithm: Type.Optional(KeyAlgorithm),
    custody: Type.Optional(KeyCustody),
  },
  { additionalProperties: false },
)

const KeyParams = Type.Object({
  participantId: ParticipantIdParam,
  keyId: Type.String({ pattern: keyIdPattern }),
})

/** Signing keys of a participant: create, list, rotate, revoke. Every change is audited. */
export const keyRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db, keyManager } = context
  const tags = ['keys']

  function auditedIn(request: FastifyRequest, spec: AuditSpec): TransactionRunner {
    return (work) => audited(request, db, spec, work)
  }

  app.post(
    '/participants/:participantId/keys',
    {
      schema: {
        tags,
        summary: 'Create a signing key; it becomes the default for each of its usages that has none',
        params: ParticipantParams,
        body: CreateKeyBody,
        response: { 201: KeySchema, ...errorResponses(400, 401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = {
        action: 'key.create',
        target: `participant:${participantId}`,
        participantId,
        detail: { ...request.body },
        resultDetail: (key: unknown) => ({ keyId: (key as ParticipantKey).id }),
      }
      const key = await keyManager.create(participantId, request.body, { transaction: auditedIn(request, spec) })
      return reply.status(201).send(serialize(key))
    },
  )

  app.get(
    '/participants/:participantId/keys',
    {
      schema: {
        tags,
        summary: "List a participant's keys, oldest first",
        params: ParticipantParams,
        querystring: Type.Object(
          { includeRevoked: Type.Boolean({ default: false, description: 'Include revoked keys.' }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(KeySchema) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const keys = await keyManager.list(participantId, { includeRevoked: request.query.includeRevoked })
      return { items: keys.map(serialize) }
    },
  )

  app.post(
    '/participants/:participantId/keys/:keyId/rotate',
    {
      schema: {
        tags,
        summary: 'Replace an active key by a new default key; the old one stays in the DID document',
        params: KeyParams,
        response: { 201: KeySchema, ...errorResponses(401, 403, 404, 409, 502, 503) },
      },
    },
    async (request, reply) => {
      const { participantId, keyId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = {
        action: 'key.rotate',
        target: `key:${keyId}`,
        participantId,
        resultDetail: (key: unknown) => ({ newKeyId: (key as ParticipantKey).id }),
      }
      const key = await keyManager.rotate(participantId, keyId, { transaction: auditedIn(request, spec) })
      context.ownKeys.forget()
      return reply.status(201).send(serialize(key))
    },
  )

  app.post(
    '/participants/:participantId/keys/:keyId/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a key: it leaves the DID document at once and its private part is destroyed',
        params: KeyParams,
        response: { 200: KeySchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId, keyId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = { action: 'key.revoke', target: `key:${keyId}`, participantId }
      const key = await keyManager.revoke(participantId, keyId, { transaction: auditedIn(request, spec) })
      context.ownKeys.forget()
      return serialize(key)
    },
  )
}

function serialize(key: ParticipantKey) {
  return {
    ...key,
    // Keys hold public JWKs of EC or OKP type, which always carry kty, crv and x.
    publicJwk: key.publicJwk as Static<typeof PublicJwk>,
    createdAt: key.createdAt.toISOString(),
    rotatedAt: key.rotatedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  }
}
