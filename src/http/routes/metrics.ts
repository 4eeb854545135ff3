import type { FastifyPluginAsync } from 'fastify'
import type { AppContext } from '../context.js'

export const metricsRoutes: FastifyPluginAsync<{ context: AppContext }> = async (app, { context }) => {
  const { registry } = context.metrics
  app.get('/metrics', { schema: { tags: ['health'], summary: 'Prometheus metrics' } }, async (_request, reply) => {
    return reply.header('content-type', registry.contentType).send(await registry.metrics())
  })
}
