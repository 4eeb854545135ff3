import type { FastifyInstance } from 'fastify'
import { resolveAdminToken } from './config/admin-token.js'
import type { Config } from './config/config.js'
import type { AppContext } from './http/context.js'
import { buildInternalApp } from './http/internal-app.js'
import { buildPublicApp } from './http/public-app.js'
import { openKeyStore, type KeyStore, type KeyStoreOptions } from './keys/key-store.js'
import { createLogger, type Logger } from './observability/logger.js'
import { createMetrics } from './observability/metrics.js'
import type { Database } from './storage/database.js'
import { migrate } from './storage/migrate.js'
import { applySeed } from './seed/apply-seed.js'
import { loadSeed } from './seed/load-seed.js'
import { HostedDidLookup } from './did/hosted-did-lookup.js'
import { DidResolver } from './did/resolver.js'
import { everyHolder, HolderSnapshots } from './holder/holder-snapshots.js'
import { PresentationService } from './holder/presentation-service.js'
import { ParticipantCache } from './participants/participant-cache.js'
import { AccessTokenKeys } from './tokens/access-token-keys.js'
import { OwnVerificationKeys } from './tokens/own-verification-keys.js'
import { SecureTokenService } from './sts/sts-service.js'
import { SelfIssuedTokenVerifier } from './tokens/self-issued-token-verifier.js'
import { PeriodicTask } from './jobs/periodic-task.js'
import { createStatusRefreshTask } from './holder/status/status-refresh-task.js'
import { createOfferCompletionTask } from './holder/offer-completion-task.js'
import { deleteExpiredTokenUses } from './tokens/jti-store.js'
import { openDatabase } from './storage/open-database.js'
import { createIssuerServices, issuerTasks } from './issuer/issuer-services.js'
import { createCredentialRequestService, credentialRequestTasks } from './holder/credential-request-tasks.js'
import { InFlightRequests } from './http/in-flight-requests.js'
import { threadPoolSize } from './config/thread-pool-size.js'
import { v8PoolSize } from './config/v8-pool-size.js'

export interface StartOptions {
  logger?: Logger
  /** Database to use instead of the one the configuration names; the server then does not close it. */
  db?: Database
  /** Options of the key store, such as KMS client settings for tests. */
  keyStore?: KeyStoreOptions
  /** Called with both apps before they listen, to add routes. */
  extend?: (apps: { publicApp: FastifyInstance; internalApp: FastifyInstance; context: AppContext }) => Promise<void>
}

export interface RunningServer {
  context: AppContext
  publicApp: FastifyInstance
  internalApp: FastifyInstance
  publicUrl: string
  internalUrl: string
  /** Stops accepting, drains in-flight requests, then closes the database. Safe to call twice. */
  close(): Promise<void>
}

/** Starts both listeners on a migrated database. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel)
  const adminToken = resolveAdminToken(config, logger)
  const db = options.db ?? (await openDatabase(config.database))
  const ownsDatabase = options.db === undefined
  let keyStore: KeyStore | undefined
  let snapshots: HolderSnapshots | undefined

  try {
    const applied = await migrate(db)
    logger.info({ database: db.kind, applied: applied.map((m) => `${m.version}.${m.name}`) }, 'database migrated')

    keyStore = openKeyStore(config, db, logger, options.keyStore)
    if (config.seedFile) {
      await applySeed(loadSeed(config.seedFile), { db, keyManager: keyStore.keyManager, logger })
    }
    const preloaded = await keyStore.keyManager.preload()
    logger.info({ keys: preloaded }, 'signing keys loaded')

    const keyManager = keyStore.keyManager
    const hostedDids = new HostedDidLookup(db, config.publicBaseUrl, config.keys.cacheTtlSeconds)
    const resolver = new DidResolver({ config: config.did, localDocuments: hostedDids.documentOf, logger })
    const ownKeys = new OwnVerificationKeys(keyManager, config.keys.cacheTtlSeconds)
    const holderSnapshots = new HolderSnapshots(db, logger)
    const accessTokenKeys = new AccessTokenKeys({ db, ttlSeconds: config.keys.cacheTtlSeconds, changes: holderSnapshots })
    snapshots = holderSnapshots
    await holderSnapshots.start()
    const context: AppContext = {
      config,
      db,
      logger,
      metrics: createMetrics(() => db.poolStats()),
      adminToken,
      keyManager,
      resolver,
      siTokenVerifier: new SelfIssuedTokenVerifier({ resolver, db, leewaySeconds: config.tokens.clockLeewaySeconds }),
      sts: new SecureTokenService({ db, keyManager, accessTokenKeys, tokens: config.tokens }),
      participants: new ParticipantCache(db, config.keys.cacheTtlSeconds),
      hostedDids,
      ownKeys,
      accessTokenKeys,
      presentations: new PresentationService({
        snapshots: holderSnapshots,
        keyManager,
        accessTokenKeys,
        leewaySeconds: config.tokens.clockLeewaySeconds,
        presentationTtlSeconds: config.tokens.presentationTtlSeconds,
      }),
      issuer: createIssuerServices({ config, db, keyManager, resolver, logger }),
      readinessChecks: [
        { name: 'database', check: async () => void (await db.query('SELECT 1')) },
        { name: 'keys', check: keyStore.check },
      ],
      credentialRequests: createCredentialRequestService(config, db, keyManager, resolver, logger),
      inFlight: new InFlightRequests(),
    }
    // Changes of STS clients, participants and keys on other replicas arrive on the same channel.
    // NOTE: credential and policy changes notify it too, so each also drops that participant's
    // cached client and keys and scans both caches once; a bulk change of many rows repeats this.
    holderSnapshots.addChangeListener((participantId) => {
      if (participantId === everyHolder) {
        context.sts.forgetClients()
        keyManager.forgetAll()
      } else {
        context.sts.forgetParticipant(participantId)
        keyManager.forgetParticipant(participantId)
      }
    })
    const publicApp = await buildPublicApp(context)
    const internalApp = await buildInternalApp(context)
    await options.extend?.({ publicApp, internalApp, context })

    const tasks = [
      new PeriodicTask({
        name: 'token-id-cleanup',
        intervalMs: 60_000,
        logger,
        run: async () => {
          const deleted = await deleteExpiredTokenUses(db, new Date())
          if (deleted > 0) logger.debug({ deleted }, 'expired token ids deleted')
        },
      }),
      ...issuerTasks(context.issuer, config, db, logger),
    ]
    const statusRefresh = createStatusRefreshTask(config, db, resolver, logger)
    if (statusRefresh) tasks.push(statusRefresh)
    const offerCompletion = createOfferCompletionTask(config, db, resolver, logger)
    if (offerCompletion) tasks.push(offerCompletion)
    tasks.push(...credentialRequestTasks(context.credentialRequests, config, db, logger))

    const publicUrl = await publicApp.listen(config.publicListener)
    const internalUrl = await internalApp.listen(config.internalListener).catch(async (error: unknown) => {
      await publicApp.close()
      throw error
    })
    for (const task of tasks) task.start()
    logger.info({ publicUrl, internalUrl, database: db.kind, threadPoolSize: threadPoolSize(), v8PoolSize: v8PoolSize() }, 'dcp-identity started')

    let closing: Promise<void> | undefined
    const openKeys = keyStore
    const close = () =>
      (closing ??= shutdown(config, logger, [publicApp, internalApp], context.inFlight, tasks, openKeys, ownsDatabase ? db : undefined, async () => {
        await context.issuer.delivery.stop()
        await holderSnapshots.stop()
      }))
    return { context, publicApp, internalApp, publicUrl, internalUrl, close }
  } catch (error) {
    keyStore?.close()
    await snapshots?.stop()
    if (ownsDatabase) await db.close()
    throw error
  }
}

async function shutdown(
  config: Config,
  logger: Logger,
  apps: FastifyInstance[],
  inFlight: InFlightRequests,
  tasks: PeriodicTask[],
  keyStore: KeyStore,
  db: Database | undefined,
  stopBackgroundWork: () => Promise<void>,
) {
  logger.info({ timeoutSeconds: config.shutdownTimeoutSeconds }, 'shutting down: draining in-flight requests')
  const deadline = Date.now() + config.shutdownTimeoutSeconds * 1000
  const drained = Promise.all(apps.map((app) => app.close()))
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), config.shutdownTimeoutSeconds * 1000)
  })
  if ((await Promise.race([drained, timedOut])) === 'timeout') {
    logger.warn('shutdown timeout reached: closing the remaining connections')
    for (const app of apps) app.server.closeAllConnections()
    await drained
  }
  clearTimeout(timer)
  // Handlers of clients that hung up still run after the sockets are closed.
  if (!(await inFlight.idle(Math.max(0, deadline - Date.now())))) {
    logger.warn({ requests: inFlight.count }, 'shutdown timeout reached with handlers still running; closing the database under them')
  }
  await Promise.all(tasks.map((task) => task.stop()))
  await stopBackgroundWork()
  keyStore.close()
  if (db) await db.close()
  logger.info('dcp-identity stopped')
}
