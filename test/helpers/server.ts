import type { FastifyInstance } from 'fastify'
import { loadConfig, type Environment } from '../../src/config/config.js'
import { createLogger, type Logger } from '../../src/observability/logger.js'
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js'
import type { Database } from '../../src/storage/database.js'

export const adminToken = 'test-admin-token-0123456789abcdef0123456789'
/** Master key of local key custody in tests, 32 bytes in hex. */
export const testMasterKey = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'

export interface TestServerOptions {
  db: Database
  env?: Environment
  logger?: Logger
  extend?: StartOptions['extend']
  keyStore?: StartOptions['keyStore']
}

/** Starts the service on loopback ports chosen by the system; it is closed when the test ends. */
export async function startTestServer(
  t: { teardown(fn: () => unknown): void },
  options: TestServerOptions,
): Promise<RunningServer> {
  const config = loadConfig({
    PUBLIC_PORT: '0',
    INTERNAL_PORT: '0',
    PUBLIC_HOST: '127.0.0.1',
    INTERNAL_HOST: '127.0.0.1',
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'silent',
    DATA_DIR: '/nonexistent/dcp-identity-test',
    MASTER_KEY: testMasterKey,
    ...options.env,
  })
  const server = await startServer(config, {
    db: options.db,
    logger: options.logger ?? createLogger(config.logLevel),
    ...(options.extend ? { extend: options.extend } : {}),
    ...(options.keyStore ? { keyStore: options.keyStore } : {}),
  })
  t.teardown(() => server.close())
  return server
}

/** Sends an admin request with a bearer credential through `inject`. */
export async function adminRequest(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  options: { token?: string | null; body?: unknown } = {},
) {
  const token = options.token === undefined ? adminToken : options.token
  return app.inject({
    method,
    url,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    ...(options.body === undefined ? {} : { payload: options.body as object }),
  })
}
