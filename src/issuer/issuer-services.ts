import type { Config } from '../config/config.js'
import { HostAllowList } from '../did/host-allow-list.js'
import type { DidResolver } from '../did/resolver.js'
import { PeriodicTask } from '../jobs/periodic-task.js'
import type { KeyManager } from '../keys/key-manager.js'
import type { Logger } from '../observability/logger.js'
import type { Database } from '../storage/database.js'
import { deleteDeliveredBefore } from '../storage/delivery-repository.js'
import { DeliveryDispatcher } from './delivery-dispatcher.js'
import { IssuanceService } from './issuance-service.js'
import { StatusListService } from './status-list-service.js'

/** Time a delivered message stays visible in the admin API before its outbox row is deleted. */
const deliveredRetentionMs = 30 * 86_400_000

/** The Issuer Service's collaborators, built once per process. */
export interface IssuerServices {
  issuance: IssuanceService
  delivery: DeliveryDispatcher
  statusLists: StatusListService
}

export interface IssuerServicesInput {
  config: Config
  db: Database
  keyManager: KeyManager
  resolver: Pick<DidResolver, 'resolveDocument'>
  logger: Logger
}

export function createIssuerServices({ config, db, keyManager, resolver, logger }: IssuerServicesInput): IssuerServices {
  const delivery = new DeliveryDispatcher({
    db,
    keyManager,
    resolver,
    config: config.issuer,
    tokenTtlSeconds: config.tokens.selfIssuedTokenTtlSeconds,
    resolveTimeoutMs: config.did.resolveTimeoutMs,
    post: { allowList: new HostAllowList(config.did.httpHosts) },
    logger,
  })
  const issuance = new IssuanceService({
    db,
    keyManager,
    config: config.issuer,
    publicBaseUrl: config.publicBaseUrl,
    logger,
    onDeliveryQueued: () => delivery.kick(),
  })
  const statusLists = new StatusListService({
    db,
    keyManager,
    config: config.issuer.statusList,
    publicBaseUrl: config.publicBaseUrl,
    logger,
  })
  return { issuance, delivery, statusLists }
}

/**
 * Background work of the issuer: due deliveries, auto-approved requests whose issuance failed,
 * old delivered outbox rows, and status lists that need signing again.
 */
export function issuerTasks(services: IssuerServices, config: Config, db: Database, logger: Logger): PeriodicTask[] {
  return [
    new PeriodicTask({
      name: 'credential-delivery',
      intervalMs: config.issuer.delivery.intervalMs,
      logger,
      run: async () => {
        services.delivery.kick()
        await services.delivery.idle()
      },
    }),
    new PeriodicTask({
      name: 'stalled-credential-requests',
      intervalMs: 15_000,
      logger,
      run: async () => {
        const retried = await services.issuance.retryStalled()
        if (retried > 0) logger.info({ retried }, 'stalled credential requests retried')
      },
    }),
    new PeriodicTask({
      name: 'delivered-outbox-cleanup',
      intervalMs: 3_600_000,
      logger,
      run: async () => {
        const deleted = await deleteDeliveredBefore(db, new Date(Date.now() - deliveredRetentionMs))
        if (deleted > 0) logger.debug({ deleted }, 'delivered outbox rows deleted')
      },
    }),
    new PeriodicTask({
      name: 'status-list-renewal',
      intervalMs: 60_000,
      logger,
      run: async () => {
        const renewed = await services.statusLists.renewStale()
        if (renewed > 0) logger.debug({ renewed }, 'status lists signed again')
      },
    }),
  ]
}
