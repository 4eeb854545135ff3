import { randomBytes } from 'node:crypto'
import { ConflictError, NotFoundError } from '../errors/app-error.js'
import type { Participant, ParticipantRole, ParticipantState } from '../participants/participant.js'
import type { Queryable } from './database.js'
import { isUniqueViolation } from './open-database.js'

export interface NewParticipant {
  id?: string
  did: string
  displayName: string
  roles: ParticipantRole[]
}

export interface ParticipantFilter {
  state?: ParticipantState
  /** Only this participant, for callers limited to their own. */
  id?: string
  limit: number
  /** Id after which the page starts, from the previous page. */
  after?: string
}

interface ParticipantRow extends Record<string, unknown> {
  id: string
  did: string
  display_name: string
  roles: ParticipantRole[]
  state: ParticipantState
  created_at: Date
  updated_at: Date
}

const columns = 'id, did, display_name, roles, state, created_at, updated_at'

export async function insertParticipant(db: Queryable, input: NewParticipant): Promise<Participant> {
  const id = input.id ?? generateParticipantId()
  try {
    const result = await db.query<ParticipantRow>(
      `INSERT INTO participants (id, did, display_name, roles) VALUES ($1, $2, $3, $4) RETURNING ${columns}`,
      [id, input.did, input.displayName, [...new Set(input.roles)]],
    )
    return toParticipant(result.rows[0]!)
  } catch (error) {
    if (isUniqueViolation(error)) {
      const field = error.constraint === 'participants_did_key' ? `DID "${input.did}"` : `id "${id}"`
      throw new ConflictError('ERR_PARTICIPANT_CONFLICT', `a participant with ${field} already exists`)
    }
    throw error
  }
}

export async function findParticipant(db: Queryable, id: string): Promise<Participant | undefined> {
  const result = await db.query<ParticipantRow>(`SELECT ${columns} FROM participants WHERE id = $1`, [id])
  return result.rows[0] && toParticipant(result.rows[0])
}

export async function findParticipantByDid(db: Queryable, did: string): Promise<Participant | undefined> {
  const result = await db.query<ParticipantRow>(`SELECT ${columns} FROM participants WHERE did = $1`, [did])
  return result.rows[0] && toParticipant(result.rows[0])
}

export async function getParticipant(db: Queryable, id: string): Promise<Participant> {
  const participant = await findParticipant(db, id)
  if (!participant) throw new NotFoundError('ERR_PARTICIPANT_NOT_FOUND', `participant "${id}" not found`)
  return participant
}

export async function listParticipants(db: Queryable, filter: ParticipantFilter): Promise<Participant[]> {
  const conditions: string[] = []
  const params: unknown[] = []
  if (filter.state) conditions.push(`state = $${params.push(filter.state)}`)
  if (filter.id) conditions.push(`id = $${params.push(filter.id)}`)
  if (filter.after) conditions.push(`id > $${params.push(filter.after)}`)
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''
  const result = await db.query<ParticipantRow>(
    `SELECT ${columns} FROM participants ${where} ORDER BY id LIMIT $${params.push(filter.limit)}`,
    params,
  )
  return result.rows.map(toParticipant)
}

/**
 * Lists the active participants whose DID has this did:web path: `""` for a host DID, `":a:b"`
 * for `did:web:<host>:a:b`. The expression matches the index of migration 003.
 */
export async function listActiveParticipantsByDidPath(db: Queryable, didPath: string): Promise<Participant[]> {
  const result = await db.query<ParticipantRow>(
    `SELECT ${columns} FROM participants
     WHERE substring(did from '^did:web:[^:]+(.*)$') = $1 AND state = 'active' ORDER BY id`,
    [didPath],
  )
  return result.rows.map(toParticipant)
}

export async function setParticipantState(db: Queryable, id: string, state: ParticipantState): Promise<Participant> {
  const result = await db.query<ParticipantRow>(
    `UPDATE participants SET state = $2, updated_at = now() WHERE id = $1 RETURNING ${columns}`,
    [id, state],
  )
  if (!result.rows[0]) throw new NotFoundError('ERR_PARTICIPANT_NOT_FOUND', `participant "${id}" not found`)
  return toParticipant(result.rows[0])
}

/** Changes the display name and roles of a participant; its id and DID never change. */
export async function updateParticipant(
  db: Queryable,
  id: string,
  changes: { displayName: string; roles: ParticipantRole[] },
): Promise<Participant> {
  const result = await db.query<ParticipantRow>(
    `UPDATE participants SET display_name = $2, roles = $3, updated_at = now() WHERE id = $1 RETURNING ${columns}`,
    [id, changes.displayName, [...new Set(changes.roles)]],
  )
  if (!result.rows[0]) throw new NotFoundError('ERR_PARTICIPANT_NOT_FOUND', `participant "${id}" not found`)
  return toParticipant(result.rows[0])
}

/** Deletes the participant and, through ON DELETE CASCADE, everything it owns. */
export async function deleteParticipant(db: Queryable, id: string): Promise<void> {
  const result = await db.query('DELETE FROM participants WHERE id = $1', [id])
  if (result.rowCount === 0) throw new NotFoundError('ERR_PARTICIPANT_NOT_FOUND', `participant "${id}" not found`)
}

function generateParticipantId(): string {
  // 80 random bits in lower-case base32, which fits the id pattern.
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  return Array.from(randomBytes(16), (byte) => alphabet[byte % 32]).join('')
}

function toParticipant(row: ParticipantRow): Participant {
  return {
    id: row.id,
    did: row.did,
    displayName: row.display_name,
    roles: row.roles,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
