import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { NotFoundError } from '../../../errors/app-error.js'
import { getParticipant } from '../../../storage/participant-repository.js'
import {
  deleteVerifierRules,
  listVerifierRules,
  replaceVerifierRules,
  type VerifierAccessRule,
} from '../../../storage/verifier-access-repository.js'
import type { AppContext } from '../../context.js'
import { audited } from '../../plugins/audit.js'
import { authorizeParticipant } from '../../plugins/authentication.js'
import { errorResponses, ParticipantIdParam, ParticipantParams } from '../../schemas.js'

const TypeList = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100, default: [] })

const PolicySchema = Type.Object({
  verifierDid: Type.String(),
  allow: Type.Array(Type.String()),
  deny: Type.Array(Type.String()),
})

const PolicyBody = Type.Object(
  {
    allow: { ...TypeList, description: 'When not empty, only these types are presented to the verifier.' },
    deny: { ...TypeList, description: 'Types never presented to the verifier; deny wins over allow.' },
  },
  { additionalProperties: false },
)

const VerifierParams = Type.Object({
  participantId: ParticipantIdParam,
  verifierDid: Type.String({ pattern: '^did:[a-z0-9]+:\\S+$', maxLength: 2048, description: 'Verifier DID, URL-encoded as one path segment.' }),
})

/**
 * Per-verifier limits on the credential types a holder presents. They narrow what the access
 * token grants and never widen it. Every change is audited.
 */
export const verifierPolicyRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { db } = context
  const tags = ['verifier policies']

  app.get(
    '/participants/:participantId/verifier-policies',
    {
      schema: {
        tags,
        summary: 'List the access rules per verifier',
        params: ParticipantParams,
        response: { 200: Type.Object({ items: Type.Array(PolicySchema) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId } = request.params
      authorizeParticipant(request.principal!, participantId)
      await getParticipant(db, participantId)
      return { items: groupByVerifier(await listVerifierRules(db, participantId)) }
    },
  )

  app.put(
    '/participants/:participantId/verifier-policies/:verifierDid',
    {
      schema: {
        tags,
        summary: 'Set the types presented to one verifier, replacing its rules',
        params: VerifierParams,
        body: PolicyBody,
        response: { 200: PolicySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { participantId, verifierDid } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = { action: 'verifier-policy.put', target: `verifier:${verifierDid}`, participantId, detail: { ...request.body } }
      const rules = await audited(request, db, spec, async (tx) => {
        await getParticipant(tx, participantId)
        return replaceVerifierRules(tx, { participantId, verifierDid, ...request.body })
      })
      return groupByVerifier(rules)[0] ?? { verifierDid, allow: [], deny: [] }
    },
  )

  app.delete(
    '/participants/:participantId/verifier-policies/:verifierDid',
    {
      schema: {
        tags,
        summary: 'Remove the rules of one verifier',
        params: VerifierParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { participantId, verifierDid } = request.params
      authorizeParticipant(request.principal!, participantId)
      const spec = { action: 'verifier-policy.delete', target: `verifier:${verifierDid}`, participantId }
      await audited(request, db, spec, async (tx) => {
        await getParticipant(tx, participantId)
        if (!(await deleteVerifierRules(tx, participantId, verifierDid))) {
          throw new NotFoundError('ERR_VERIFIER_POLICY_NOT_FOUND', `participant "${participantId}" has no rules for ${JSON.stringify(verifierDid)}`)
        }
      })
      return reply.status(204).send(null)
    },
  )
}

function groupByVerifier(rules: VerifierAccessRule[]) {
  const byVerifier = new Map<string, { verifierDid: string; allow: string[]; deny: string[] }>()
  for (const rule of rules) {
    const policy = byVerifier.get(rule.verifierDid) ?? { verifierDid: rule.verifierDid, allow: [], deny: [] }
    policy[rule.effect].push(rule.credentialType)
    byVerifier.set(rule.verifierDid, policy)
  }
  return [...byVerifier.values()]
}
