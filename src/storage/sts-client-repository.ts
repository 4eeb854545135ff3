import { ConflictError, NotFoundError } from '../errors/app-error.js'
import type { Queryable } from './database.js'
import { isUniqueViolation } from './open-database.js'

/** The STS client of a participant, without its secret. */
export interface StsClient {
  participantId: string
  clientId: string
  createdAt: Date
  rotatedAt: Date | null
}

/** An STS client with the digest of its secret and the participant's DID, for token requests. */
export interface StsClientCredential extends StsClient {
  secretHash: Buffer
  participantDid: string
  participantState: 'active' | 'deactivated'
}

interface StsClientRow extends Record<string, unknown> {
  participant_id: string
  client_id: string
  created_at: Date
  rotated_at: Date | null
}

const columns = 'participant_id, client_id, created_at, rotated_at'

export async function insertStsClient(
  db: Queryable,
  input: { participantId: string; clientId: string; secretHash: Buffer },
): Promise<StsClient> {
  try {
    const result = await db.query<StsClientRow>(
      `INSERT INTO sts_clients (participant_id, client_id, secret_hash) VALUES ($1, $2, $3) RETURNING ${columns}`,
      [input.participantId, input.clientId, input.secretHash],
    )
    return toStsClient(result.rows[0]!)
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError('ERR_PARTICIPANT_CONFLICT', `STS client id "${input.clientId}" is already in use`)
    }
    throw error
  }
}

export async function getStsClient(db: Queryable, participantId: string): Promise<StsClient> {
  const result = await db.query<StsClientRow>(`SELECT ${columns} FROM sts_clients WHERE participant_id = $1`, [
    participantId,
  ])
  if (!result.rows[0]) {
    throw new NotFoundError('ERR_PARTICIPANT_NOT_FOUND', `participant "${participantId}" not found`)
  }
  return toStsClient(result.rows[0])
}

/** Replaces the secret; the old one stops working at once. */
export async function replaceStsClientSecret(
  db: Queryable,
  participantId: string,
  secretHash: Buffer,
): Promise<StsClient> {
  const result = await db.query<StsClientRow>(
    `UPDATE sts_clients SET secret_hash = $2, rotated_at = now() WHERE participant_id = $1 RETURNING ${columns}`,
    [participantId, secretHash],
  )
  if (!result.rows[0]) {
    throw new NotFoundError('ERR_PARTICIPANT_NOT_FOUND', `participant "${participantId}" not found`)
  }
  return toStsClient(result.rows[0])
}

export async function findStsClientCredential(db: Queryable, clientId: string): Promise<StsClientCredential | undefined> {
  const result = await db.query<StsClientRow & { secret_hash: Uint8Array; did: string; state: 'active' | 'deactivated' }>(
    `SELECT c.participant_id, c.client_id, c.created_at, c.rotated_at, c.secret_hash, p.did, p.state
     FROM sts_clients c JOIN participants p ON p.id = c.participant_id WHERE c.client_id = $1`,
    [clientId],
  )
  const row = result.rows[0]
  if (!row) return undefined
  return {
    ...toStsClient(row),
    secretHash: Buffer.from(row.secret_hash),
    participantDid: row.did,
    participantState: row.state,
  }
}

function toStsClient(row: StsClientRow): StsClient {
  return {
    participantId: row.participant_id,
    clientId: row.client_id,
    createdAt: row.created_at,
    rotatedAt: row.rotated_at,
  }
}
