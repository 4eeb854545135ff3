import { NotFoundError } from '../errors/app-error.js'
import type { Queryable } from './database.js'

export interface ApiKey {
  id: string
  participantId: string
  name: string
  createdAt: Date
  revokedAt: Date | null
}

/** An API key with the digest of its secret and the state of its participant, for authentication. */
export interface ApiKeyCredential extends ApiKey {
  secretHash: Buffer
  participantState: 'active' | 'deactivated'
}

interface ApiKeyRow extends Record<string, unknown> {
  id: string
  participant_id: string
  name: string
  created_at: Date
  revoked_at: Date | null
}

const columns = 'id, participant_id, name, created_at, revoked_at'

export async function insertApiKey(
  db: Queryable,
  input: { id: string; participantId: string; name: string; secretHash: Buffer },
): Promise<ApiKey> {
  const result = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (id, participant_id, name, secret_hash) VALUES ($1, $2, $3, $4) RETURNING ${columns}`,
    [input.id, input.participantId, input.name, input.secretHash],
  )
  return toApiKey(result.rows[0]!)
}

export async function listApiKeys(db: Queryable, participantId: string): Promise<ApiKey[]> {
  const result = await db.query<ApiKeyRow>(
    `SELECT ${columns} FROM api_keys WHERE participant_id = $1 ORDER BY created_at, id`,
    [participantId],
  )
  return result.rows.map(toApiKey)
}

/** Marks the key revoked; revoking twice keeps the first time. */
export async function revokeApiKey(db: Queryable, participantId: string, id: string): Promise<ApiKey> {
  const result = await db.query<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
     WHERE participant_id = $1 AND id = $2 RETURNING ${columns}`,
    [participantId, id],
  )
  if (!result.rows[0]) {
    throw new NotFoundError('ERR_API_KEY_NOT_FOUND', `participant "${participantId}" has no API key "${id}"`)
  }
  return toApiKey(result.rows[0])
}

export async function findApiKeyCredential(db: Queryable, id: string): Promise<ApiKeyCredential | undefined> {
  const result = await db.query<ApiKeyRow & { secret_hash: Uint8Array; state: 'active' | 'deactivated' }>(
    `SELECT k.id, k.participant_id, k.name, k.created_at, k.revoked_at, k.secret_hash, p.state
     FROM api_keys k JOIN participants p ON p.id = k.participant_id WHERE k.id = $1`,
    [id],
  )
  const row = result.rows[0]
  if (!row) return undefined
  return { ...toApiKey(row), secretHash: Buffer.from(row.secret_hash), participantState: row.state }
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    participantId: row.participant_id,
    name: row.name,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }
}
