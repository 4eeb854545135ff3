import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppContext } from './context.js'
import { lazyChildLogger } from '../observability/lazy-child-logger.js'
import { registerErrorHandlers } from './error-handler.js'

export type Listener = 'public' | 'internal'

/**
 * Creates a Fastify instance with what both listeners share: logger, request ids, body limit,
 * strict validation, error mapping and request metrics.
 */
export function createBaseApp(context: AppContext, listener: Listener): FastifyInstance {
  const app = Fastify({
    loggerInstance: context.logger.child({ listener }) as FastifyBaseLogger,
    childLoggerFactory: lazyChildLogger,
    bodyLimit: context.config.bodyLimitBytes,
    trustProxy: context.config.trustProxy,
    // A caller-supplied id is kept only on the internal listener, where the caller is trusted.
    requestIdHeader: listener === 'internal' ? 'x-request-id' : false,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    ajv: {
      // Unknown fields are rejected with 400 instead of being dropped without notice.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  context.inFlight.track(app)
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
  app.addHook('onResponse', (request, reply, done) => {
    context.metrics.http.record(listener, request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000)
    done()
  })

  // Every route takes JSON (or a form, where a route adds that parser), so plain text is 415.
  app.removeContentTypeParser('text/plain')
  registerErrorHandlers(app)
  return app as unknown as FastifyInstance
}
