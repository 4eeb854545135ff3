import type { Queryable } from '../storage/database.js'

/** One use of a token id, as a receiving participant records it. */
export interface TokenUse {
  participantId: string
  jti: string
  issuer: string
  /** When the token expires; the row may be deleted after that. */
  expiresAt: Date
}

/**
 * Records a token id; returns false when this participant has seen it before. The primary key
 * makes the check and the insert one atomic statement, so two replicas cannot both accept it.
 */
export async function recordTokenUse(db: Queryable, use: TokenUse): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO token_ids (participant_id, jti, issuer, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (participant_id, jti) DO NOTHING`,
    [use.participantId, use.jti, use.issuer, use.expiresAt],
  )
  return result.rowCount === 1
}

/**
 * Deletes token ids whose tokens expired before `before`. An expired token fails its `exp`
 * check anyway, so its id no longer needs to be remembered; this bounds the table.
 */
export async function deleteExpiredTokenUses(db: Queryable, before: Date): Promise<number> {
  const result = await db.query('DELETE FROM token_ids WHERE expires_at < $1', [before])
  return result.rowCount
}

/** Tells whether this participant has already accepted a token with this id, without recording it. */
export async function isTokenUsed(db: Queryable, participantId: string, jti: string): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM token_ids WHERE participant_id = $1 AND jti = $2', [participantId, jti])
  return result.rows.length > 0
}
