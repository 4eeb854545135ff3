import { randomInt, randomUUID } from 'node:crypto'
import type { StatusListProofFormat, StatusListType, StatusPurpose } from '../credentials/status-list.js'
import { NotFoundError } from '../errors/app-error.js'
import type { Queryable } from './database.js'

/** A status list row, without its entries. */
export interface StatusList {
  id: string
  participantId: string
  purpose: StatusPurpose
  type: StatusListType
  proofFormat: StatusListProofFormat
  size: number
  /** The signed list credential (a compact JWS or Data Integrity JSON text), absent until it is first signed. */
  credential: string | null
  expiresAt: Date | null
  version: number
  signedVersion: number
}

export interface StatusEntryPosition {
  listId: string
  index: number
}

interface ListRow extends Record<string, unknown> {
  id: string
  participant_id: string
  purpose: StatusPurpose
  list_type: StatusListType
  proof_format: StatusListProofFormat
  size: number
  allocated: number
  credential: string | null
  expires_at: Date | null
  version: number
  signed_version: number
}

const columns = 'id, participant_id, purpose, list_type, proof_format, size, allocated, credential, expires_at, version, signed_version'

/** Random draws before the allocation falls back to a scan for a free index. */
const randomAttempts = 16

/**
 * Reserves a random free index for a credential in an open list of the issuer, opening a new
 * list of `size` entries when none is open, and closes the list when its last index is taken.
 * Random indices keep a list's bits from telling in which order credentials were issued. The
 * open list row stays locked until the transaction ends, so concurrent issuances queue on it.
 */
export async function allocateStatusEntry(
  tx: Queryable,
  input: {
    participantId: string
    purpose: StatusPurpose
    type: StatusListType
    proofFormat: StatusListProofFormat
    size: number
    credentialId: string
  },
): Promise<StatusEntryPosition> {
  const list = (await lockOpenList(tx, input)) ?? (await insertList(tx, input))
  const index = await reserveIndex(tx, list, input.credentialId)
  await tx.query('UPDATE issuer_status_lists SET allocated = allocated + 1, is_full = (allocated + 1 >= size) WHERE id = $1', [
    list.id,
  ])
  return { listId: list.id, index }
}

export async function getStatusList(db: Queryable, participantId: string, listId: string): Promise<StatusList> {
  const result = await db.query<ListRow>(`SELECT ${columns} FROM issuer_status_lists WHERE participant_id = $1 AND id = $2`, [
    participantId,
    listId,
  ])
  if (!result.rows[0]) throw new NotFoundError('ERR_STATUS_LIST_NOT_FOUND', `no status list "${listId}"`)
  return toList(result.rows[0])
}

/** Lists whose stored credential is outdated or expires before `renewBefore`. */
export async function listStaleStatusLists(db: Queryable, renewBefore: Date, limit: number): Promise<StatusList[]> {
  const result = await db.query<ListRow>(
    `SELECT ${columns} FROM issuer_status_lists
     WHERE signed_version < version OR expires_at IS NULL OR expires_at < $1
     ORDER BY expires_at NULLS FIRST LIMIT $2`,
    [renewBefore, limit],
  )
  return result.rows.map(toList)
}

/** Indices whose flag is set. */
export async function listSetIndices(db: Queryable, listId: string): Promise<number[]> {
  const result = await db.query<{ status_index: number }>(
    'SELECT status_index FROM issuer_status_list_entries WHERE list_id = $1 AND flag',
    [listId],
  )
  return result.rows.map((row) => row.status_index)
}

/** Sets or clears one entry's flag and marks the list for signing again. */
export async function setStatusFlag(tx: Queryable, position: StatusEntryPosition, flag: boolean): Promise<void> {
  await tx.query('UPDATE issuer_status_list_entries SET flag = $3 WHERE list_id = $1 AND status_index = $2', [
    position.listId,
    position.index,
    flag,
  ])
  await tx.query('UPDATE issuer_status_lists SET version = version + 1 WHERE id = $1', [position.listId])
}

/**
 * Stores a signed list credential for the version it was built from. A flag change committed in
 * the meantime raised the version, so the list stays stale and is signed again.
 */
export async function storeSignedStatusList(
  db: Queryable,
  listId: string,
  signed: { credential: string; expiresAt: Date; version: number },
): Promise<void> {
  await db.query(
    `UPDATE issuer_status_lists SET credential = $2, expires_at = $3, signed_version = $4
     WHERE id = $1 AND signed_version <= $4`,
    [listId, signed.credential, signed.expiresAt, signed.version],
  )
}

async function lockOpenList(
  tx: Queryable,
  input: { participantId: string; purpose: StatusPurpose; type: StatusListType; proofFormat: StatusListProofFormat },
): Promise<ListRow | undefined> {
  const result = await tx.query<ListRow>(
    `SELECT ${columns} FROM issuer_status_lists
     WHERE participant_id = $1 AND purpose = $2 AND list_type = $3 AND proof_format = $4 AND NOT is_full
     ORDER BY created_at LIMIT 1 FOR UPDATE`,
    [input.participantId, input.purpose, input.type, input.proofFormat],
  )
  return result.rows[0]
}

async function insertList(
  tx: Queryable,
  input: { participantId: string; purpose: StatusPurpose; type: StatusListType; proofFormat: StatusListProofFormat; size: number },
): Promise<ListRow> {
  const result = await tx.query<ListRow>(
    `INSERT INTO issuer_status_lists (participant_id, id, purpose, list_type, proof_format, size) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${columns}`,
    [input.participantId, randomUUID(), input.purpose, input.type, input.proofFormat, input.size],
  )
  return result.rows[0]!
}

async function reserveIndex(tx: Queryable, list: ListRow, credentialId: string): Promise<number> {
  for (let attempt = 0; attempt < randomAttempts; attempt += 1) {
    const index = randomInt(list.size)
    if (await tryInsertEntry(tx, list.id, index, credentialId)) return index
  }
  // A nearly full list makes random draws miss; one scan then finds a free index.
  const free = await tx.query<{ status_index: number }>(
    `SELECT i AS status_index FROM generate_series(0, $2::int - 1) AS i
     WHERE NOT EXISTS (SELECT 1 FROM issuer_status_list_entries e WHERE e.list_id = $1 AND e.status_index = i)
     ORDER BY random() LIMIT 1`,
    [list.id, list.size],
  )
  const index = free.rows[0]?.status_index
  if (index === undefined || !(await tryInsertEntry(tx, list.id, index, credentialId))) {
    throw new Error(`status list ${list.id} has no free index although it is not marked full`)
  }
  return index
}

async function tryInsertEntry(tx: Queryable, listId: string, index: number, credentialId: string): Promise<boolean> {
  const result = await tx.query(
    `INSERT INTO issuer_status_list_entries (list_id, status_index, credential_id) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [listId, index, credentialId],
  )
  return result.rowCount === 1
}

function toList(row: ListRow): StatusList {
  return {
    id: row.id,
    participantId: row.participant_id,
    purpose: row.purpose,
    type: row.list_type,
    proofFormat: row.proof_format,
    size: row.size,
    credential: row.credential,
    expiresAt: row.expires_at,
    version: row.version,
    signedVersion: row.signed_version,
  }
}
