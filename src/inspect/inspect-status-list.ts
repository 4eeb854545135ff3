import type { InspectContext } from './inspect-context.js'
import { CheckList, type Inspection } from './inspection.js'

/**
 * Inspects a status list credential at a URL with the holder's status list client: the guarded
 * fetch, the issuer's `assertionMethod` signature, the list type, its expiry and the encoded
 * bits. Reports how many entries the list has and how many are set.
 */
export async function inspectStatusList(url: string, context: InspectContext): Promise<Inspection> {
  const list = new CheckList()
  const statusList = await list.run('status list fetched and verified', () => context.statusLists.getList(url), (found) => `${found.kind} from ${found.issuer}`)
  if (statusList === undefined) return list.toInspection('status-list', { url })
  let setBits = 0
  for (const byte of statusList.bits) {
    for (let bit = byte; bit !== 0; bit &= bit - 1) setBits += 1
  }
  return list.toInspection('status-list', {
    url,
    kind: statusList.kind,
    issuer: statusList.issuer,
    purpose: statusList.purpose,
    entries: statusList.bits.length * 8,
    setEntries: setBits,
  })
}
