import type { Config } from '../config/config.js'
import { HostAllowList } from '../did/host-allow-list.js'
import type { DidResolver } from '../did/resolver.js'
import { PeriodicTask } from '../jobs/periodic-task.js'
import type { KeyManager } from '../keys/key-manager.js'
import type { Logger } from '../observability/logger.js'
import type { Queryable } from '../storage/database.js'
import { renewExpiringCredentials } from './credential-renewal.js'
import { CredentialRequestService } from './credential-request-service.js'
import { IssuerClient } from './issuer-client.js'

/** Builds the holder's request service with the address rules and limits of DID resolution. */
export function createCredentialRequestService(
  config: Config,
  db: Queryable,
  keyManager: KeyManager,
  resolver: Pick<DidResolver, 'resolveDocument'>,
  logger: Logger,
): CredentialRequestService {
  const allowList = new HostAllowList(config.did.httpHosts)
  const client = new IssuerClient({
    resolver,
    keyManager,
    fetchOptions: { allowList, maxRedirects: config.did.maxRedirects, maxBytes: config.did.documentMaxBytes },
    post: { allowList },
    timeoutMs: config.credentialRequests.timeoutMs,
    tokenTtlSeconds: config.tokens.selfIssuedTokenTtlSeconds,
  })
  return new CredentialRequestService({ db, client, config: config.credentialRequests, logger })
}

/**
 * Background work of holders: sending and polling due credential requests, and, unless
 * CREDENTIAL_RENEWAL_INTERVAL_SECONDS is 0, requesting renewals of credentials about to expire.
 */
export function credentialRequestTasks(
  service: CredentialRequestService,
  config: Config,
  db: Queryable,
  logger: Logger,
): PeriodicTask[] {
  const tasks = [
    new PeriodicTask({
      name: 'holder-credential-requests',
      intervalMs: config.credentialRequests.intervalMs,
      logger,
      run: async () => {
        const handled = await service.processDue()
        if (handled > 0) logger.debug({ handled }, 'due credential requests handled')
      },
    }),
  ]
  const { renewal } = config.credentialRequests
  if (renewal.intervalSeconds > 0) {
    tasks.push(
      new PeriodicTask({
        name: 'credential-renewal',
        intervalMs: renewal.intervalSeconds * 1000,
        logger,
        run: async () => {
          const created = await renewExpiringCredentials(db, renewal.beforeSeconds, logger)
          if (created > 0) logger.info({ created }, 'credential renewal requests created')
        },
      }),
    )
  }
  return tasks
}
