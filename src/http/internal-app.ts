import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { errorCodes } from '../errors/codes.js'
import { createBaseApp } from './base-app.js'
import type { AppContext } from './context.js'
import { notFoundHandler } from './error-handler.js'
import { adminRoutes } from './routes/admin/index.js'
import { dimRoutes } from './routes/dim.js'
import { healthRoutes } from './routes/health.js'
import { metricsRoutes } from './routes/metrics.js'
import { stsRoutes } from './routes/sts.js'

/**
 * Builds the internal listener: admin API, health, metrics, the STS (with the DIM facade when
 * DIM_FACADE_ENABLED is true) and the OpenAPI document with its docs page at `/docs`. It must never sit behind a public load balancer.
 */
export async function buildInternalApp(context: AppContext): Promise<FastifyInstance> {
  const app = createBaseApp(context, 'internal')

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'dcp-identity internal API', version: '0.1.0', description: apiDescription() },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Admin token or API key' } },
      },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  await app.register(healthRoutes, { context })
  await app.register(metricsRoutes, { context })
  await app.register(adminRoutes, { context, prefix: '/v1' })
  await app.register(stsRoutes, { sts: context.sts, stsTokens: context.metrics.stsTokens })
  if (context.config.dim.enabled) await app.register(dimRoutes, { context })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  app.setNotFoundHandler(notFoundHandler)
  return app
}

function apiDescription(): string {
  const rows = Object.entries(errorCodes).map(([code, { status, description }]) => `| ${code} | ${status} | ${description} |`)
  return [
    'Admin API, health and metrics of one dcp-identity process. Routes under `/v1` need',
    '`Authorization: Bearer <admin token or API key>`.',
    '',
    'Every error answers `{"error": CODE, "message": TEXT}`:',
    '',
    '| Code | Status | Meaning |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n')
}
