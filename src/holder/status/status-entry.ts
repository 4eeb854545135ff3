/** The status list types whose entries this service checks. */
export type StatusListKind = 'BitstringStatusList' | 'StatusList2021'

/** One `credentialStatus` entry that points at a bit of a status list. */
export interface StatusEntry {
  kind: StatusListKind
  /** `revocation` or `suspension`; other purposes, such as `message`, are not acted on. */
  purpose: string
  listUrl: string
  index: number
}

const kindOfEntryType: Record<string, StatusListKind> = {
  BitstringStatusListEntry: 'BitstringStatusList',
  StatusList2021Entry: 'StatusList2021',
}

/**
 * Picks the status list entries out of a credential's `credentialStatus`. Entries of other types,
 * and Bitstring entries with a `statusSize` above 1, are skipped: they carry no revocation or
 * suspension bit this service can read.
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistentry
 * @see https://www.w3.org/community/reports/credentials/CG-FINAL-vc-status-list-2021-20230102/#statuslist2021entry
 */
export function statusEntriesOf(entries: readonly Record<string, unknown>[]): StatusEntry[] {
  const parsed: StatusEntry[] = []
  for (const entry of entries) {
    const kind = typeof entry.type === 'string' ? kindOfEntryType[entry.type] : undefined
    const index = indexOf(entry.statusListIndex)
    const listUrl = entry.statusListCredential
    const purpose = entry.statusPurpose
    if (kind === undefined || typeof listUrl !== 'string' || typeof purpose !== 'string') continue
    if (index === undefined) continue
    if (entry.statusSize !== undefined && Number(entry.statusSize) !== 1) continue
    parsed.push({ kind, purpose, listUrl, index })
  }
  return parsed
}

/** Reads `statusListIndex`, a decimal string by both specifications; a number is tolerated. */
function indexOf(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text)) return undefined
  return Number(text)
}
