import type { Queryable } from './database.js'

/** An HMAC key that access tokens of one participant are minted and checked with. */
export interface AccessTokenKey {
  id: string
  secret: Buffer
  createdAt: Date
}

interface AccessTokenKeyRow extends Record<string, unknown> {
  id: string
  secret: Buffer | Uint8Array
  created_at: Date
}

/** Lists the participant's keys, newest first. */
export async function listAccessTokenKeys(db: Queryable, participantId: string): Promise<AccessTokenKey[]> {
  const result = await db.query<AccessTokenKeyRow>(
    'SELECT id, secret, created_at FROM access_token_keys WHERE participant_id = $1 ORDER BY created_at DESC, id',
    [participantId],
  )
  return result.rows.map((row) => ({ id: row.id, secret: Buffer.from(row.secret), createdAt: row.created_at }))
}

/** Inserts a key and returns when it was created. */
export async function insertAccessTokenKey(db: Queryable, input: { participantId: string; id: string; secret: Buffer }): Promise<Date> {
  const result = await db.query<{ created_at: Date }>(
    'INSERT INTO access_token_keys (participant_id, id, secret) VALUES ($1, $2, $3) RETURNING created_at',
    [input.participantId, input.id, input.secret],
  )
  return result.rows[0]!.created_at
}

/**
 * Locks the participant's row until the transaction ends, so key changes of one participant run
 * one after another.
 */
export async function lockParticipantKeys(tx: Queryable, participantId: string): Promise<void> {
  await tx.query('SELECT id FROM participants WHERE id = $1 FOR UPDATE', [participantId])
}

/** Deletes all but the `keep` newest keys of the participant and returns how many were deleted. */
export async function pruneAccessTokenKeys(db: Queryable, participantId: string, keep: number): Promise<number> {
  const result = await db.query(
    `DELETE FROM access_token_keys WHERE participant_id = $1 AND id NOT IN (
       SELECT id FROM access_token_keys WHERE participant_id = $1 ORDER BY created_at DESC, id LIMIT $2)`,
    [participantId, keep],
  )
  return result.rowCount
}
