import type { Config } from '../../config/config.js'
import { HostAllowList } from '../../did/host-allow-list.js'
import type { DidResolver } from '../../did/resolver.js'
import { PeriodicTask } from '../../jobs/periodic-task.js'
import type { Logger } from '../../observability/logger.js'
import type { Queryable } from '../../storage/database.js'
import { refreshCredentialStates } from './refresh-credential-states.js'
import { StatusListClient } from './status-list-client.js'

/** Builds the status list client with the address rules and limits of DID resolution. */
export function createStatusListClient(config: Config, resolver: Pick<DidResolver, 'resolveDocument'>): StatusListClient {
  return new StatusListClient({
    config: config.statusLists,
    resolver,
    fetchOptions: {
      allowList: new HostAllowList(config.did.httpHosts),
      maxRedirects: config.did.maxRedirects,
      timeoutMs: config.did.resolveTimeoutMs,
    },
  })
}

/** Creates the periodic status check of held credentials, or undefined when STATUS_REFRESH_INTERVAL_SECONDS is 0. */
export function createStatusRefreshTask(
  config: Config,
  db: Queryable,
  resolver: Pick<DidResolver, 'resolveDocument'>,
  logger: Logger,
): PeriodicTask | undefined {
  const { refreshIntervalSeconds, refreshBatchSize } = config.statusLists
  if (refreshIntervalSeconds === 0) return undefined
  const lists = createStatusListClient(config, resolver)
  return new PeriodicTask({
    name: 'credential-status-refresh',
    intervalMs: refreshIntervalSeconds * 1000,
    logger,
    run: async () => {
      const summary = await refreshCredentialStates(db, lists, logger, { batchSize: refreshBatchSize })
      if (summary.checked + summary.failed > 0) logger.debug({ ...summary }, 'credential states refreshed')
    },
  })
}
