import type { Participant } from '../participants/participant.js'
import type { Queryable } from '../storage/database.js'
import { deleteVerifierRules, listVerifierRules, replaceVerifierRules } from '../storage/verifier-access-repository.js'
import type { SeedChange } from './apply-seed.js'
import type { SeedParticipant } from './seed-schema.js'

/**
 * Makes a participant's verifier access policies equal to the seed's `accessPolicies`. Verifiers
 * whose allow or deny lists differ get the seed's rules, and verifiers the seed no longer lists
 * lose theirs. A participant without the field keeps the policies set through the admin API.
 */
export async function ensureAccessPolicies(
  tx: Queryable,
  participant: Participant,
  entry: SeedParticipant,
  changes: SeedChange[],
): Promise<void> {
  if (entry.accessPolicies === undefined) return
  const current = new Map<string, { allow: string[]; deny: string[] }>()
  for (const rule of await listVerifierRules(tx, participant.id)) {
    const lists = current.get(rule.verifierDid) ?? { allow: [], deny: [] }
    lists[rule.effect].push(rule.credentialType)
    current.set(rule.verifierDid, lists)
  }

  const listed = new Set(entry.accessPolicies.map((policy) => policy.verifierDid))
  for (const verifierDid of current.keys()) {
    if (listed.has(verifierDid)) continue
    await deleteVerifierRules(tx, participant.id, verifierDid)
    changes.push({ participantId: participant.id, description: `access policy for ${verifierDid} removed` })
  }
  for (const policy of entry.accessPolicies) {
    const expected = { allow: sortedSet(policy.allow), deny: sortedSet(policy.deny) }
    const existing = current.get(policy.verifierDid)
    if (existing && sameList(sortedSet(existing.allow), expected.allow) && sameList(sortedSet(existing.deny), expected.deny)) continue
    await replaceVerifierRules(tx, { participantId: participant.id, verifierDid: policy.verifierDid, ...expected })
    changes.push({ participantId: participant.id, description: `access policy for ${policy.verifierDid} ${existing ? 'changed' : 'added'}` })
  }
}

function sortedSet(values: readonly string[] | undefined): string[] {
  return [...new Set(values ?? [])].sort()
}

function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index])
}
