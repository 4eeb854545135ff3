import type { Queryable } from './database.js'

export type AccessEffect = 'allow' | 'deny'

/** One rule of a participant's verifier access policy. */
export interface VerifierAccessRule {
  participantId: string
  verifierDid: string
  credentialType: string
  effect: AccessEffect
  createdAt: Date
}

interface RuleRow extends Record<string, unknown> {
  participant_id: string
  verifier_did: string
  credential_type: string
  effect: AccessEffect
  created_at: Date
}

const columns = 'participant_id, verifier_did, credential_type, effect, created_at'

/** Replaces every rule of one verifier with the given ones. */
export async function replaceVerifierRules(
  db: Queryable,
  input: { participantId: string; verifierDid: string; allow: string[]; deny: string[] },
): Promise<VerifierAccessRule[]> {
  await db.query('DELETE FROM verifier_access_rules WHERE participant_id = $1 AND verifier_did = $2', [
    input.participantId,
    input.verifierDid,
  ])
  const rules = [
    ...[...new Set(input.allow)].map((type) => [type, 'allow'] as const),
    ...[...new Set(input.deny)].map((type) => [type, 'deny'] as const),
  ]
  for (const [type, effect] of rules) {
    await db.query(
      'INSERT INTO verifier_access_rules (participant_id, verifier_did, credential_type, effect) VALUES ($1, $2, $3, $4)',
      [input.participantId, input.verifierDid, type, effect],
    )
  }
  return listVerifierRules(db, input.participantId, input.verifierDid)
}

/** Lists the rules of a participant, of one verifier when `verifierDid` is given. */
export async function listVerifierRules(
  db: Queryable,
  participantId: string,
  verifierDid?: string,
): Promise<VerifierAccessRule[]> {
  const params: unknown[] = [participantId]
  const verifierCondition = verifierDid === undefined ? '' : ` AND verifier_did = $${params.push(verifierDid)}`
  const result = await db.query<RuleRow>(
    `SELECT ${columns} FROM verifier_access_rules WHERE participant_id = $1${verifierCondition}
     ORDER BY verifier_did, effect, credential_type`,
    params,
  )
  return result.rows.map(toRule)
}

export async function deleteVerifierRules(db: Queryable, participantId: string, verifierDid: string): Promise<boolean> {
  const result = await db.query('DELETE FROM verifier_access_rules WHERE participant_id = $1 AND verifier_did = $2', [
    participantId,
    verifierDid,
  ])
  return result.rowCount > 0
}

function toRule(row: RuleRow): VerifierAccessRule {
  return {
    participantId: row.participant_id,
    verifierDid: row.verifier_did,
    credentialType: row.credential_type,
    effect: row.effect,
    createdAt: row.created_at,
  }
}
