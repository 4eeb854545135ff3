import { bundledContext } from '../../../credentials/data-integrity/bundled-contexts.js'
import { credentialProfiles } from '../../../credentials/credential-format.js'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { AppError } from '../../../errors/app-error.js'
import { compileSubjectSchema } from '../../../issuer/attestation.js'
import {
  tractusXDefinitions,
  type CredentialDefinition,
  type NewCredentialDefinition,
} from '../../../issuer/credential-definition.js'
import {
  deleteCredentialDefinition,
  getCredentialDefinition,
  insertCredentialDefinition,
  listCredentialDefinitions,
} from '../../../storage/issuer-definition-repository.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, ParticipantIdParam, ParticipantParams } from '../../schemas.js'

const definitionIdPattern = '^[A-Za-z0-9._:-]{1,128}$'

const ClaimMapping = Type.Union([
  Type.Object({ attribute: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object({ value: Type.Unknown() }, { additionalProperties: false }),
])

const CreateDefinitionBody = Type.Object(
  {
    id: Type.String({ pattern: definitionIdPattern, description: 'id of the CredentialObject in the issuer metadata.' }),
    credentialType: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,99}$' }),
    profile: Type.Optional(
      Type.Union(credentialProfiles.map((profile) => Type.Literal(profile)), {
        description: 'vc20-bssl/json-ld issues VC 2.0 JSON-LD credentials with an ecdsa-rdfc-2019 Data Integrity proof. Its contexts must be bundled.',
      }),
    ),
    validitySeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 10 * 365 * 86_400, description: 'Default one year.' })),
    claims: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }), ClaimMapping, {
        description: 'credentialSubject properties: {"attribute": name} reads a holder attribute, {"value": v} is fixed.',
      }),
    ),
    subjectSchema: Type.Optional(Type.Object({}, { description: 'JSON Schema the credentialSubject must match.' })),
    contexts: Type.Optional(Type.Array(Type.String({ pattern: '^https?://\\S+$', maxLength: 512 }), { maxItems: 16 })),
    approval: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('manual')])),
    suspendable: Type.Optional(Type.Boolean({ description: 'Add a suspension status entry to each credential.' })),
  },
  { additionalProperties: false },
)

const DefinitionSchema = Type.Object({
  id: Type.String(),
  credentialType: Type.String(),
  profile: Type.String(),
  validitySeconds: Type.Integer(),
  claims: Type.Record(Type.String(), Type.Unknown()),
  subjectSchema: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
  contexts: Type.Array(Type.String()),
  approval: Type.String(),
  suspendable: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
})

const DefinitionParams = Type.Object({
  participantId: ParticipantIdParam,
  definitionId: Type.String({ pattern: definitionIdPattern }),
})

/** Credential definitions of an issuer: what its metadata offers and how each credential is built. */
export const issuerDefinitionRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['issuer']
  const base = '/participants/:participantId/issuer/credential-definitions'

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Add a credential definition',
        params: ParticipantParams,
        body: CreateDefinitionBody,
        response: { 201: DefinitionSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const definition = toNewDefinition(request.body)
      const spec = { action: 'issuer-definition.create', target: `credential-definition:${definition.id}`, participantId }
      const stored = await audited(request, db, { ...spec, detail: { ...request.body } }, async (tx) => {
        await getParticipant(tx, participantId)
        return insertCredentialDefinition(tx, participantId, definition)
      })
      return reply.status(201).send(serialize(stored))
    },
  )

  app.post(
    `${base}/tractus-x`,
    {
      schema: {
        tags,
        summary: 'Install the Tractus-X definitions: MembershipCredential, BpnCredential, DataExchangeGovernanceCredential',
        description: 'Definitions whose id exists already are left as they are. Claims read the holder attribute "bpn".',
        params: ParticipantParams,
        response: { 201: Type.Object({ items: Type.Array(DefinitionSchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = { action: 'issuer-definition.install-tractus-x', target: 'credential-definitions', participantId }
      const installed = await audited(request, db, spec, async (tx) => {
        await getParticipant(tx, participantId)
        const existing = new Set((await listCredentialDefinitions(tx, participantId)).map((definition) => definition.id))
        const added: CredentialDefinition[] = []
        for (const definition of tractusXDefinitions().filter((candidate) => !existing.has(candidate.id))) {
          added.push(await insertCredentialDefinition(tx, participantId, definition))
        }
        return added
      })
      return reply.status(201).send({ items: installed.map(serialize) })
    },
  )

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List credential definitions',
        params: ParticipantParams,
        response: { 200: Type.Object({ items: Type.Array(DefinitionSchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      return { items: (await listCredentialDefinitions(db, participantId)).map(serialize) }
    },
  )

  app.get(
    `${base}/:definitionId`,
    {
      schema: {
        tags,
        summary: 'Read a credential definition',
        params: DefinitionParams,
        response: { 200: DefinitionSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId, definitionId } = request.params
      authorizeParticipant(request.principal!, participantId)
      return serialize(await getCredentialDefinition(db, participantId, definitionId))
    },
  )

  app.delete(
    `${base}/:definitionId`,
    {
      schema: {
        tags,
        summary: 'Delete a credential definition; credentials issued from it keep their status entries',
        params: DefinitionParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { participantId, definitionId } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = { action: 'issuer-definition.delete', target: `credential-definition:${definitionId}`, participantId }
      await audited(request, db, spec, (tx) => deleteCredentialDefinition(tx, participantId, definitionId))
      return reply.status(204).send(null)
    },
  )
}

function toNewDefinition(body: Static<typeof CreateDefinitionBody>): NewCredentialDefinition {
  const claims = body.claims ?? {}
  if ('id' in claims) throw new AppError('ERR_REQUEST_INVALID', 'claim "id" is reserved: credentialSubject.id is the holder DID')
  const subjectSchema = (body.subjectSchema as Record<string, unknown> | undefined) ?? null
  if (subjectSchema !== null) compileSubjectSchema(subjectSchema)
  // A JSON-LD proof needs every context offline, so an unknown one fails here and not at issuance.
  if (body.profile === 'vc20-bssl/json-ld') for (const context of body.contexts ?? []) bundledContext(context)
  return {
    id: body.id,
    credentialType: body.credentialType,
    profile: body.profile ?? 'vc11-sl2021/jwt',
    validitySeconds: body.validitySeconds ?? 365 * 86_400,
    claims: claims as NewCredentialDefinition['claims'],
    subjectSchema,
    contexts: body.contexts ?? [],
    approval: body.approval ?? 'auto',
    suspendable: body.suspendable ?? false,
  }
}

function serialize(definition: CredentialDefinition) {
  return { ...definition, createdAt: definition.createdAt.toISOString() }
}
