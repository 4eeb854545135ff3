import formBody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../../errors/app-error.js'
import { DimFacade } from '../../sts/dim-facade.js'
import { mintDimBearerToken, verifyDimBearerToken, type DimBearerTokens } from '../../sts/dim-bearer-token.js'
import { bearerTokenOf } from '../../tokens/bearer.js'
import type { AppContext } from '../context.js'
import { countRefusal } from '../count-refusal.js'
import { errorResponses } from '../schemas.js'

const maxFieldLength = 16 * 1024
const Did = Type.String({ minLength: 1, maxLength: 2048 })

const TokenForm = Type.Object({
  grant_type: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String({ maxLength: maxFieldLength })),
  client_secret: Type.Optional(Type.String({ maxLength: maxFieldLength })),
})

const GrantAccess = Type.Object({
  consumerDid: Did,
  providerDid: Did,
  credentialTypes: Type.Array(Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\s:]+$' }), { maxItems: 64 }),
  scope: Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('all')]),
})

const SignToken = Type.Object({
  audience: Did,
  issuer: Did,
  subject: Did,
  token: Type.String({ minLength: 1, maxLength: maxFieldLength }),
})

const DimRequest = Type.Object({ grantAccess: Type.Optional(GrantAccess), signToken: Type.Optional(SignToken) })
const OAuthError = Type.Object({ error: Type.String(), error_description: Type.String() })

/**
 * The DIM-compatible STS that a Tractus-X connector calls when its DIM URL is set: a client
 * credentials token endpoint for the bearer token, and one JSON endpoint for `grantAccess` and
 * `signToken` that returns `{jwt}`. Registered only when DIM_FACADE_ENABLED is true.
 */
export const dimRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  const { sts, keyManager, ownKeys, config, metrics } = context
  const bearerTokens: DimBearerTokens = {
    sts,
    keyManager,
    ownKeys,
    ttlSeconds: config.dim.tokenTtlSeconds,
    leewaySeconds: config.tokens.clockLeewaySeconds,
  }
  const facade = new DimFacade(sts, config.dim)
  await app.register(formBody)
  // NOTE: the DIM company-identity API, which connector DID self-registration calls, is not served.

  app.post(
    '/dim/oauth/token',
    {
      schema: {
        tags: ['sts'],
        summary: 'Issue the bearer token of the DIM STS for client credentials',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenForm,
        response: {
          200: Type.Object({ access_token: Type.String(), token_type: Type.Literal('Bearer'), expires_in: Type.Integer() }),
          400: OAuthError,
          401: OAuthError,
        },
      },
    },
    async (request, reply) => {
      const form = request.body
      if (form.grant_type !== 'client_credentials') {
        throw new AppError('ERR_STS_GRANT_TYPE_UNSUPPORTED', form.grant_type === undefined ? 'missing "grant_type"' : '"grant_type" must be "client_credentials"')
      }
      if (!form.client_id || !form.client_secret) throw new AppError('ERR_STS_REQUEST_INVALID', 'missing "client_id" or "client_secret"')
      const client = await countRefusal(metrics.stsTokens, () => sts.authenticate(form.client_id!, form.client_secret!))
      const token = await mintDimBearerToken(bearerTokens, client)
      request.log.info({ clientId: client.clientId }, 'DIM STS bearer token issued')
      return reply
        .header('cache-control', 'no-store')
        .send({ access_token: token, token_type: 'Bearer' as const, expires_in: config.dim.tokenTtlSeconds })
    },
  )

  app.post(
    '/dim/sts',
    {
      schema: {
        tags: ['sts'],
        summary: 'Mint a Self-Issued ID token for a DIM grantAccess or signToken request',
        body: DimRequest,
        response: { 200: Type.Object({ jwt: Type.String() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { grantAccess, signToken } = request.body
      const response = await countRefusal(metrics.stsTokens, async () => {
        const client = await verifyDimBearerToken(bearerTokens, bearerTokenOf(request.headers.authorization))
        if ((grantAccess === undefined) === (signToken === undefined)) {
          throw new AppError('ERR_DIM_REQUEST_INVALID', 'send exactly one of "grantAccess" and "signToken"')
        }
        const operation = grantAccess === undefined ? 'signToken' : 'grantAccess'
        const jwt = grantAccess === undefined ? await facade.signToken(client, signToken!) : await facade.grantAccess(client, grantAccess)
        request.log.info({ clientId: client.clientId, operation }, 'STS token issued for a DIM request')
        return jwt
      })
      metrics.stsTokens.inc({ outcome: 'issued' })
      return reply.header('cache-control', 'no-store').send(response)
    },
  )
}
