import type { Config } from '../config/config.js'
import { HostAllowList } from '../did/host-allow-list.js'
import type { DidResolver } from '../did/resolver.js'
import { PeriodicTask } from '../jobs/periodic-task.js'
import type { Logger } from '../observability/logger.js'
import type { Queryable } from '../storage/database.js'
import { completePendingOffers, type OfferCompletionOptions } from './offer-completion.js'

const batchSize = 20
const maxAttempts = 3

/** Builds the completion settings with the address rules and limits of DID resolution. */
export function offerCompletionOptions(
  config: Config,
  db: Queryable,
  resolver: Pick<DidResolver, 'resolveDocument'>,
  logger: Logger,
): OfferCompletionOptions {
  const fetchOptions = {
    allowList: new HostAllowList(config.did.httpHosts),
    maxRedirects: config.did.maxRedirects,
    timeoutMs: config.did.resolveTimeoutMs,
    maxBytes: config.did.documentMaxBytes,
    accept: 'application/json',
  }
  return { db, resolver, fetchOptions, logger, maxAttempts }
}

/**
 * Creates the periodic completion of sparse credential offers, which gives each offer 3
 * attempts; undefined when OFFER_COMPLETION_INTERVAL_SECONDS is 0.
 */
export function createOfferCompletionTask(
  config: Config,
  db: Queryable,
  resolver: Pick<DidResolver, 'resolveDocument'>,
  logger: Logger,
): PeriodicTask | undefined {
  const { completionIntervalSeconds } = config.offers
  if (completionIntervalSeconds === 0) return undefined
  const options = offerCompletionOptions(config, db, resolver, logger)
  return new PeriodicTask({
    name: 'offer-completion',
    intervalMs: completionIntervalSeconds * 1000,
    logger,
    run: async () => {
      const processed = await completePendingOffers(options, batchSize)
      if (processed > 0) logger.debug({ processed }, 'credential offers completed')
    },
  })
}
