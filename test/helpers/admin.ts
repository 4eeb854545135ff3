import type { FastifyInstance } from 'fastify'
import { adminRequest } from './server.js'

/**
 * Creates a participant through the admin API and fails loudly when that is refused. Unlike the
 * API's default, no key is created unless `createKey` is set, so tests start from no keys.
 */
export async function createParticipant(
  app: FastifyInstance,
  body: { id: string; did: string; roles?: Array<'holder' | 'issuer'>; createKey?: boolean },
): Promise<void> {
  const response = await adminRequest(app, 'POST', '/v1/participants', {
    body: { displayName: body.id, roles: ['holder'], createKey: false, ...body },
  })
  if (response.statusCode !== 201) throw new Error(`creating participant failed: ${response.body}`)
}

/** Creates an API key of a participant and returns its bearer token. */
export async function createApiKey(app: FastifyInstance, participantId: string): Promise<string> {
  const response = await adminRequest(app, 'POST', `/v1/participants/${participantId}/api-keys`, { body: { name: 'test' } })
  if (response.statusCode !== 201) throw new Error(`creating API key failed: ${response.body}`)
  return response.json().token
}
