import type { Queryable } from '../storage/database.js'
import { listVerifierRules, type VerifierAccessRule } from '../storage/verifier-access-repository.js'

/**
 * Tells whether the participant may present credentials of `type` to the verifier. The access
 * token decides first, and this policy only narrows it: a deny rule for the type rejects it, and
 * once the verifier has any allow rule, only the allowed types pass. With no rules, every type
 * passes. `VerifiableCredential` is the base type of every credential and always passes.
 */
export async function isTypeAllowed(
  db: Queryable,
  participantId: string,
  verifierDid: string,
  type: string,
): Promise<boolean> {
  if (type === 'VerifiableCredential') return true
  return typeAllowedByRules(await listVerifierRules(db, participantId, verifierDid), type)
}

/** Applies one verifier's rules to a type, as `isTypeAllowed` does, without a query. */
export function typeAllowedByRules(rules: readonly VerifierAccessRule[], type: string): boolean {
  if (type === 'VerifiableCredential') return true
  if (rules.some((rule) => rule.effect === 'deny' && rule.credentialType === type)) return false
  const allowed = rules.filter((rule) => rule.effect === 'allow')
  return allowed.length === 0 || allowed.some((rule) => rule.credentialType === type)
}
