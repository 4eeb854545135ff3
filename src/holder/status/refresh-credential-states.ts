import { AppError } from '../../errors/app-error.js'
import type { Logger } from '../../observability/logger.js'
import {
  claimCredentialsForStatusCheck,
  setCredentialState,
  type StoredCredential,
  type StoredCredentialState,
} from '../../storage/credential-repository.js'
import type { Queryable } from '../../storage/database.js'
import { isBitSet } from './encoded-list.js'
import { statusEntriesOf, type StatusEntry } from './status-entry.js'
import type { StatusList, StatusListClient } from './status-list-client.js'

export interface RefreshSummary {
  checked: number
  changed: number
  failed: number
}

/**
 * Checks a batch of held credentials against their status lists and stores the state they
 * give: a set revocation bit makes a credential revoked for good, a set suspension bit
 * suspended, and a cleared suspension bit makes a suspended credential usable again. A
 * credential whose list cannot be fetched or verified keeps its state and is retried later.
 */
export async function refreshCredentialStates(
  db: Queryable,
  lists: StatusListClient,
  logger: Logger,
  options: { batchSize: number; now?: Date },
): Promise<RefreshSummary> {
  const credentials = await claimCredentialsForStatusCheck(db, options.now ?? new Date(), options.batchSize)
  const summary: RefreshSummary = { checked: 0, changed: 0, failed: 0 }
  for (const credential of credentials) {
    try {
      const state = await stateFromLists(credential, lists)
      await setCredentialState(db, credential.id, state)
      summary.checked += 1
      if (state !== credential.state) {
        summary.changed += 1
        logger.info({ credentialId: credential.id, participantId: credential.participantId, from: credential.state, to: state }, 'credential state changed by its status list')
      }
    } catch (error) {
      summary.failed += 1
      logger.warn({ err: error, credentialId: credential.id, participantId: credential.participantId }, 'status check failed; state kept, retrying at the next interval')
    }
  }
  return summary
}

async function stateFromLists(credential: StoredCredential, lists: StatusListClient): Promise<StoredCredentialState> {
  let revoked = false
  let suspended = false
  for (const entry of statusEntriesOf(credential.statusEntries)) {
    if (entry.purpose !== 'revocation' && entry.purpose !== 'suspension') continue
    const list = await lists.getList(entry.listUrl, entry.kind)
    const set = statusBitOf(list, entry, credential.issuerDid)
    if (entry.purpose === 'revocation') revoked ||= set
    else suspended ||= set
  }
  if (revoked) return 'revoked'
  return suspended ? 'suspended' : 'issued'
}

/**
 * Reads the bit of a status entry from its verified list. The list must come from the
 * credential's issuer, because a list from another issuer could revoke credentials it never
 * issued, and must have the purpose the entry names.
 */
export function statusBitOf(list: StatusList, entry: StatusEntry, issuerDid: string): boolean {
  if (list.issuer !== issuerDid) {
    throw new AppError('ERR_STATUS_LIST_INVALID', `status list ${JSON.stringify(entry.listUrl)} is issued by ${JSON.stringify(list.issuer)}, not by the credential's issuer`)
  }
  if (list.purpose !== entry.purpose) {
    throw new AppError('ERR_STATUS_LIST_INVALID', `status list ${JSON.stringify(entry.listUrl)} has purpose ${JSON.stringify(list.purpose)}, but the entry names ${JSON.stringify(entry.purpose)}`)
  }
  return isBitSet(list.bits, entry.index)
}
