import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { didPathOfRequest } from '../../did/did-web-path.js'
import { loadHostedDocument } from '../../did/hosted-documents.js'
import type { AppContext } from '../context.js'
import { notFoundHandler } from '../error-handler.js'

// Short, so a rotation or revocation reaches resolvers that honour caching within half a minute.
const cacheControl = 'public, max-age=30'

/**
 * Serves did:web documents on the public listener: the host DID at `/.well-known/did.json` and
 * path DIDs at `/<a>/<b>/did.json`. The document is chosen by the path alone, never by the Host
 * header. Other unmatched GET paths get the usual 404 body.
 */
export const didDocumentRoutes: FastifyPluginAsync<{ context: AppContext }> = async (app, { context }) => {
  const { db, config } = context

  async function serve(request: FastifyRequest, reply: FastifyReply) {
    const didPath = didPathOfRequest(request.url.split('?')[0]!)
    if (didPath === undefined) return notFoundHandler(request, reply)
    const document = await loadHostedDocument(db, config.publicBaseUrl, didPath)
    return reply.header('cache-control', cacheControl).type('application/did+json').send(document)
  }

  const schema = { tags: ['did'], summary: 'did:web document of a participant', hide: true }
  app.get('/.well-known/did.json', { schema }, serve)
  // Static and parametric routes of other modules take precedence over this wildcard.
  app.get('/*', { schema }, serve)
}
