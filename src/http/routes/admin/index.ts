import type { FastifyPluginAsync } from 'fastify'
import type { AppContext } from '../../context.js'
import { authenticate } from '../../plugins/authentication.js'
import { apiKeyRoutes } from './api-keys.js'
import { auditRoutes } from './audit.js'
import { credentialOfferRoutes } from './credential-offers.js'
import { didServiceRoutes } from './did-services.js'
import { issuerCredentialRoutes } from './issuer-credentials.js'
import { issuerDefinitionRoutes } from './issuer-definitions.js'
import { issuerHolderRoutes } from './issuer-holders.js'
import { issuerRequestRoutes } from './issuer-requests.js'
import { holderCredentialRoutes } from './holder-credentials.js'
import { holderCredentialRequestRoutes } from './holder-credential-requests.js'
import { keyRoutes } from './keys.js'
import { participantRoutes } from './participants.js'
import { stsClientRoutes } from './sts-client.js'
import { trustedIssuerRoutes } from './trusted-issuers.js'
import { verifierPolicyRoutes } from './verifier-policies.js'

/** The admin API under `/v1`: every route needs the admin token or a participant API key. */
export const adminRoutes: FastifyPluginAsync<{ context: AppContext }> = async (app, { context }) => {
  app.decorateRequest('principal', null)
  // onRequest runs before the body is read, so an unauthenticated caller cannot make the service parse it.
  app.addHook('onRequest', async (request) => {
    request.principal = await authenticate(request, context.db, context.adminToken)
  })
  await app.register(participantRoutes, { context })
  await app.register(apiKeyRoutes, { context })
  await app.register(auditRoutes, { context })
  await app.register(stsClientRoutes, { context })
  await app.register(keyRoutes, { context })
  await app.register(didServiceRoutes, { context })
  await app.register(issuerDefinitionRoutes, { context })
  await app.register(issuerHolderRoutes, { context })
  await app.register(issuerRequestRoutes, { context })
  await app.register(issuerCredentialRoutes, { context })
  await app.register(trustedIssuerRoutes, { context })
  await app.register(holderCredentialRoutes, { context })
  await app.register(credentialOfferRoutes, { context })
  await app.register(verifierPolicyRoutes, { context })
  await app.register(holderCredentialRequestRoutes, { context })
}
