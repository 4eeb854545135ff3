import { randomUUID } from 'node:crypto'
import { ConflictError, NotFoundError } from '../errors/app-error.js'
import type { IssuerHolder } from '../issuer/holder.js'
import type { Queryable } from './database.js'
import { isUniqueViolation } from './open-database.js'

interface HolderRow extends Record<string, unknown> {
  id: string
  did: string
  name: string
  attributes: Record<string, unknown>
  created_at: Date
}

export type HolderInput = Pick<IssuerHolder, 'did' | 'name' | 'attributes'>

const columns = 'id, did, name, attributes, created_at'

export async function insertIssuerHolder(db: Queryable, participantId: string, holder: HolderInput): Promise<IssuerHolder> {
  try {
    const result = await db.query<HolderRow>(
      `INSERT INTO issuer_holders (participant_id, id, did, name, attributes) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${columns}`,
      [participantId, randomUUID(), holder.did, holder.name, JSON.stringify(holder.attributes)],
    )
    return toHolder(result.rows[0]!)
  } catch (error) {
    if (isUniqueViolation(error)) throw holderConflict(participantId, holder.did)
    throw error
  }
}

export async function updateIssuerHolder(
  db: Queryable,
  participantId: string,
  id: string,
  holder: HolderInput,
): Promise<IssuerHolder> {
  try {
    const result = await db.query<HolderRow>(
      `UPDATE issuer_holders SET did = $3, name = $4, attributes = $5 WHERE participant_id = $1 AND id = $2
       RETURNING ${columns}`,
      [participantId, id, holder.did, holder.name, JSON.stringify(holder.attributes)],
    )
    if (!result.rows[0]) throw holderNotFound(participantId, id)
    return toHolder(result.rows[0])
  } catch (error) {
    if (isUniqueViolation(error)) throw holderConflict(participantId, holder.did)
    throw error
  }
}

export async function listIssuerHolders(db: Queryable, participantId: string): Promise<IssuerHolder[]> {
  const result = await db.query<HolderRow>(
    `SELECT ${columns} FROM issuer_holders WHERE participant_id = $1 ORDER BY created_at, id`,
    [participantId],
  )
  return result.rows.map(toHolder)
}

export async function getIssuerHolder(db: Queryable, participantId: string, id: string): Promise<IssuerHolder> {
  const result = await db.query<HolderRow>(`SELECT ${columns} FROM issuer_holders WHERE participant_id = $1 AND id = $2`, [
    participantId,
    id,
  ])
  if (!result.rows[0]) throw holderNotFound(participantId, id)
  return toHolder(result.rows[0])
}

export async function findIssuerHolderByDid(db: Queryable, participantId: string, did: string): Promise<IssuerHolder | undefined> {
  const result = await db.query<HolderRow>(
    `SELECT ${columns} FROM issuer_holders WHERE participant_id = $1 AND did = $2`,
    [participantId, did],
  )
  return result.rows[0] ? toHolder(result.rows[0]) : undefined
}

export async function deleteIssuerHolder(db: Queryable, participantId: string, id: string): Promise<void> {
  const result = await db.query('DELETE FROM issuer_holders WHERE participant_id = $1 AND id = $2', [participantId, id])
  if (result.rowCount === 0) throw holderNotFound(participantId, id)
}

function holderNotFound(participantId: string, id: string): NotFoundError {
  return new NotFoundError('ERR_ISSUER_HOLDER_NOT_FOUND', `issuer "${participantId}" has no holder "${id}"`)
}

function holderConflict(participantId: string, did: string): ConflictError {
  return new ConflictError('ERR_ISSUER_HOLDER_CONFLICT', `issuer "${participantId}" already has a holder with DID "${did}"`)
}

function toHolder(row: HolderRow): IssuerHolder {
  return { id: row.id, did: row.did, name: row.name, attributes: row.attributes, createdAt: row.created_at }
}

/** Maps the `bpn` attribute of every registered holder that has one to the holder's DID. */
export async function listBpnDirectory(db: Queryable, participantId: string): Promise<Record<string, string>> {
  const result = await db.query<{ bpn: string; did: string }>(
    `SELECT attributes->>'bpn' AS bpn, did FROM issuer_holders
     WHERE participant_id = $1 AND jsonb_typeof(attributes->'bpn') = 'string' ORDER BY created_at, id`,
    [participantId],
  )
  return Object.fromEntries(result.rows.map((row) => [row.bpn, row.did]))
}
