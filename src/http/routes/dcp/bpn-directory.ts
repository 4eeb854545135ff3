import { gzipSync } from 'node:zlib'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError, AuthError } from '../../../errors/app-error.js'
import { verifyMembershipPresentation } from '../../../issuer/membership-presentation.js'
import { participantIdPattern, type Participant } from '../../../participants/participant.js'
import { listBpnDirectory } from '../../../storage/issuer-holder-repository.js'
import { bearerTokenOf } from '../../../tokens/bearer.js'
import type { AppContext } from '../../context.js'
import { activeIssuer } from './active-issuer.js'

/**
 * Registers the BPN directory of an issuer in the form Tractus-X connectors read from BDRS: a
 * gzip-compressed JSON object from BPN to DID, for callers whose bearer VP proves a valid
 * MembershipCredential of this issuer. Entries come from the `bpn` attribute of registered holders.
 */
export const bpnDirectoryRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/p/:participantId/bpn-directory',
    {
      schema: {
        tags: ['bpn directory'],
        summary: 'BPN to DID map, gzip-compressed JSON',
        params: Type.Object({ participantId: Type.String({ pattern: participantIdPattern }) }),
      },
    },
    async (request, reply) => {
      const issuer = await activeIssuer(request, context, request.params.participantId)
      await authorizeMember(request, context, issuer)
      const directory = await listBpnDirectory(context.db, issuer.id)
      // Connectors send Accept-Encoding: gzip and gunzip the body themselves, so it is always compressed.
      return reply
        .header('content-encoding', 'gzip')
        .header('cache-control', 'no-store')
        .type('application/json')
        .send(gzipSync(JSON.stringify(directory)))
    },
  )
}

async function authorizeMember(request: FastifyRequest, context: AppContext, issuer: Participant): Promise<void> {
  const headers = request.raw.rawHeaders.filter((_, index) => index % 2 === 0 && /^authorization$/i.test(request.raw.rawHeaders[index]!))
  if (headers.length > 1) throw new AuthError('ERR_AUTH_INVALID', 'send exactly one Authorization header')
  const token = bearerTokenOf(request.headers.authorization)
  try {
    const holder = await verifyMembershipPresentation(token, issuer, {
      db: context.db,
      resolver: context.resolver,
      leewaySeconds: context.config.tokens.clockLeewaySeconds,
      nowMs: Date.now(),
    })
    request.log.debug({ participantId: issuer.id, holder }, 'BPN directory caller authorized')
  } catch (error) {
    if (!(error instanceof AppError) || error.statusCode >= 500) throw error
    // One message for every cause, as for tokens; the reason goes to the debug log.
    request.log.debug({ participantId: issuer.id, code: error.code, reason: error.message }, 'BPN directory caller rejected')
    throw new AuthError('ERR_AUTH_INVALID', 'the bearer presentation does not prove a valid MembershipCredential of this issuer')
  }
}
