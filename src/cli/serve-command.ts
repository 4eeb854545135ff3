import type { Config } from '../config/config.js'
import { createLogger } from '../observability/logger.js'
import { startServer } from '../server.js'
import { exitCodes } from './exit-codes.js'

/** Runs the service until SIGTERM or SIGINT, then drains and resolves to the exit code. */
export async function serveCommand(config: Config): Promise<number> {
  const logger = createLogger(config.logLevel)
  const server = await startServer(config, { logger })
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
  logger.info({ signal }, 'signal received')
  await server.close()
  return exitCodes.ok
}
