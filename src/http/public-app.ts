import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors/app-error.js'
import { createBaseApp } from './base-app.js'
import type { AppContext } from './context.js'
import { presentationQueryRoutes } from './routes/dcp/presentation-query.js'
import { notFoundHandler } from './error-handler.js'
import { didDocumentRoutes } from './routes/did-documents.js'
import { bpnDirectoryRoutes } from './routes/dcp/bpn-directory.js'
import { issuerServiceRoutes } from './routes/dcp/issuer-service.js'
import { statusListRoutes } from './routes/dcp/status-lists.js'
import { offerRoutes } from './routes/dcp/offers.js'
import { storageRoutes } from './routes/dcp/storage.js'

/**
 * Builds the public listener: DID documents and the DCP endpoints, the only listener an ingress
 * exposes. Every route and the 404 answer are rate-limited per client address.
 */
export async function buildPublicApp(context: AppContext): Promise<FastifyInstance> {
  const app = createBaseApp(context, 'public')
  const { max, windowSeconds } = context.config.rateLimit

  if (max > 0) {
    await app.register(rateLimit, {
      global: true,
      max,
      timeWindow: windowSeconds * 1000,
      errorResponseBuilder: (_request, details) =>
        new AppError('ERR_RATE_LIMITED', `rate limit of ${details.max} requests per ${windowSeconds} s exceeded; retry in ${Math.ceil(details.ttl / 1000)} s`),
    })
    // Without the limit on 404s, a client could probe for DID paths at full speed.
    app.setNotFoundHandler({ preHandler: app.rateLimit() }, notFoundHandler)
  } else {
    app.setNotFoundHandler(notFoundHandler)
  }
  await app.register(didDocumentRoutes, { context })
  await app.register(presentationQueryRoutes, { context })
  await app.register(issuerServiceRoutes, { context })
  await app.register(statusListRoutes, { context })
  await app.register(bpnDirectoryRoutes, { context })
  await app.register(storageRoutes, { context })
  await app.register(offerRoutes, { context })
  return app
}
