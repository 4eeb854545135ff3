import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { AppContext } from '../context.js'

const readinessTimeoutMs = 2000

const Status = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
})

/** Liveness reports only the process; readiness runs every dependency check. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/health/live',
    { schema: { tags: ['health'], summary: 'Process liveness', response: { 200: Status } } },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/health/ready',
    { schema: { tags: ['health'], summary: 'Readiness of the database and other dependencies', response: { 200: Status, 503: Status } } },
    async (request, reply) => {
      const checks: Record<string, string> = {}
      let ready = true
      for (const { name, check } of context.readinessChecks) {
        try {
          await withTimeout(check(), readinessTimeoutMs)
          checks[name] = 'ok'
        } catch (error) {
          ready = false
          checks[name] = `failed: ${(error as Error).message}`
          request.log.warn({ check: name, err: error }, 'readiness check failed')
        }
      }
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks })
    },
  )
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
