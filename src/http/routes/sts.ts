import formBody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Counter } from 'prom-client'
import { AppError } from '../../errors/app-error.js'
import { countRefusal } from '../count-refusal.js'
import { registerOAuthErrorHandler } from '../error-handler.js'
import type { SecureTokenService } from '../../sts/sts-service.js'

const maxFieldLength = 16 * 1024

const TokenRequestForm = Type.Object({
  grant_type: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String()),
  audience: Type.Optional(Type.String()),
  bearer_access_scope: Type.Optional(Type.String()),
  token: Type.Optional(Type.String()),
})

const OAuthError = Type.Object({ error: Type.String(), error_description: Type.String() })

/**
 * The STS token endpoint: OAuth 2.0 client credentials in an `application/x-www-form-urlencoded`
 * body. It returns 200 with `{access_token, token_type, expires_in}` or an OAuth error body.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export const stsRoutes: FastifyPluginAsyncTypebox<{ sts: SecureTokenService; stsTokens: Counter<'outcome'> }> = async (
  app,
  { sts, stsTokens },
) => {
  // The token endpoint takes forms only, as OAuth 2.0 defines it; other bodies are 415.
  registerOAuthErrorHandler(app)
  app.removeAllContentTypeParsers()
  await app.register(formBody)

  app.post(
    '/sts/token',
    {
      attachValidation: true,
      schema: {
        tags: ['sts'],
        summary: 'Mint a Self-Issued ID token for the connector of a participant',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenRequestForm,
        response: {
          200: Type.Object({ access_token: Type.String(), token_type: Type.Literal('Bearer'), expires_in: Type.Integer() }),
          400: OAuthError,
          401: OAuthError,
        },
      },
    },
    async (request, reply) => {
      if (request.validationError) throw invalidRequest('the body must be a form of string fields')
      const form = request.body
      if (form.grant_type !== 'client_credentials') {
        throw new AppError(
          'ERR_STS_GRANT_TYPE_UNSUPPORTED',
          form.grant_type === undefined ? 'missing "grant_type"' : `"grant_type" must be "client_credentials"`,
        )
      }
      const clientId = requiredField(form.client_id, 'client_id')
      const clientSecret = requiredField(form.client_secret, 'client_secret')
      const audience = requiredField(form.audience, 'audience')
      if (form.bearer_access_scope !== undefined && form.token !== undefined) {
        throw invalidRequest('send "bearer_access_scope" or "token", not both')
      }
      const response = await countRefusal(stsTokens, () => sts.issue({
        clientId,
        clientSecret,
        audience,
        ...(form.bearer_access_scope === undefined ? {} : { bearerAccessScope: form.bearer_access_scope }),
        ...(form.token === undefined ? {} : { token: form.token }),
      }))
      stsTokens.inc({ outcome: 'issued' })
      request.log.info({ clientId, audience, scoped: form.bearer_access_scope !== undefined }, 'STS token issued')
      return reply.header('cache-control', 'no-store').send(response)
    },
  )
}

function requiredField(value: string | undefined, name: string): string {
  if (value === undefined || value.trim() === '') throw invalidRequest(`missing "${name}"`)
  if (value.length > maxFieldLength) throw invalidRequest(`"${name}" is longer than ${maxFieldLength} characters`)
  return value
}

function invalidRequest(message: string): AppError {
  return new AppError('ERR_STS_REQUEST_INVALID', message)
}
