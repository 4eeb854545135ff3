import { createHash, randomUUID } from 'node:crypto'
import type { CredentialProfile } from '../credentials/credential-format.js'
import type { ParsedCredential } from '../credentials/parsed-credential.js'
import type { Queryable } from './database.js'

export type StoredCredentialState = 'issued' | 'revoked' | 'suspended'

/** A credential in a participant's wallet. */
export interface StoredCredential {
  id: string
  participantId: string
  credentialId: string | null
  profile: CredentialProfile
  types: string[]
  issuerDid: string
  subjectDid: string | null
  /** The credential exactly as received. */
  raw: string
  document: Record<string, unknown>
  statusEntries: Record<string, unknown>[]
  validFrom: Date | null
  validUntil: Date | null
  state: StoredCredentialState
  issuerPid: string | null
  holderPid: string | null
  receivedAt: Date
}

export interface CredentialFilter {
  participantId: string
  type?: string
  issuerDid?: string
  state?: StoredCredentialState
  limit: number
  /**
   * Id of the last credential of the previous page. The page continues after that row's
   * (`receivedAt`, id) position, read in SQL: the credentials of one message share `receivedAt`,
   * and JavaScript dates drop its microseconds.
   */
  afterId?: string
}

interface CredentialRow extends Record<string, unknown> {
  id: string
  participant_id: string
  credential_id: string | null
  profile: CredentialProfile
  types: string[]
  issuer_did: string
  subject_did: string | null
  raw: string
  document: Record<string, unknown>
  status_entries: Record<string, unknown>[]
  valid_from: Date | null
  valid_until: Date | null
  state: StoredCredentialState
  issuer_pid: string | null
  holder_pid: string | null
  received_at: Date
}

const columns = `id, participant_id, credential_id, profile, types, issuer_did, subject_did, raw, document,
  status_entries, valid_from, valid_until, state, issuer_pid, holder_pid, received_at`

/**
 * Stores a verified credential; storing the same credential again returns the stored row
 * unchanged, so a repeated delivery is harmless.
 */
export async function insertCredential(
  db: Queryable,
  input: { participantId: string; credential: ParsedCredential; issuerPid?: string; holderPid?: string },
): Promise<StoredCredential> {
  const { credential } = input
  const digest = createHash('sha256').update(credential.raw).digest()
  const inserted = await db.query<CredentialRow>(
    `INSERT INTO holder_credentials (id, participant_id, credential_id, profile, types, issuer_did, subject_did, raw,
       raw_sha256, document, status_entries, valid_from, valid_until, issuer_pid, holder_pid)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13, $14, $15)
     ON CONFLICT (participant_id, raw_sha256) DO NOTHING
     RETURNING ${columns}`,
    [
      randomUUID(),
      input.participantId,
      credential.credentialId ?? null,
      credential.profile,
      credential.types,
      credential.issuer,
      credential.subjectId ?? null,
      credential.raw,
      digest,
      JSON.stringify(credential.document),
      JSON.stringify(credential.statusEntries),
      credential.validFrom ?? null,
      credential.validUntil ?? null,
      input.issuerPid ?? null,
      input.holderPid ?? null,
    ],
  )
  if (inserted.rows[0]) return toCredential(inserted.rows[0])
  const existing = await db.query<CredentialRow>(
    `SELECT ${columns} FROM holder_credentials WHERE participant_id = $1 AND raw_sha256 = $2`,
    [input.participantId, digest],
  )
  return toCredential(existing.rows[0]!)
}

/**
 * Lists the credentials in state `issued`, newest first by validity start (or receipt). Whether
 * each is inside its validity period is left to `isValidAt`, so the list can be kept in memory.
 */
export async function listIssuedCredentials(db: Queryable, participantId: string): Promise<StoredCredential[]> {
  const result = await db.query<CredentialRow>(
    `SELECT ${columns} FROM holder_credentials
     WHERE participant_id = $1 AND state = 'issued'
     ORDER BY COALESCE(valid_from, received_at) DESC, received_at DESC, id`,
    [participantId],
  )
  return result.rows.map(toCredential)
}

/** Tells whether `now` lies inside the credential's validity period; open ends always match. */
export function isValidAt(credential: Pick<StoredCredential, 'validFrom' | 'validUntil'>, now: Date): boolean {
  const time = now.getTime()
  if (credential.validFrom !== null && credential.validFrom.getTime() > time) return false
  return credential.validUntil === null || credential.validUntil.getTime() > time
}

export async function listCredentials(db: Queryable, filter: CredentialFilter): Promise<StoredCredential[]> {
  const conditions = ['participant_id = $1']
  const params: unknown[] = [filter.participantId]
  if (filter.type) conditions.push(`$${params.push(filter.type)} = ANY (types)`)
  if (filter.issuerDid) conditions.push(`issuer_did = $${params.push(filter.issuerDid)}`)
  if (filter.state) conditions.push(`state = $${params.push(filter.state)}`)
  if (filter.afterId) {
    const id = `$${params.push(filter.afterId)}`
    conditions.push(`(received_at, id) < (SELECT received_at, id FROM holder_credentials WHERE id = ${id})`)
  }
  const result = await db.query<CredentialRow>(
    `SELECT ${columns} FROM holder_credentials WHERE ${conditions.join(' AND ')}
     ORDER BY received_at DESC, id DESC LIMIT $${params.push(filter.limit)}`,
    params,
  )
  return result.rows.map(toCredential)
}

export async function findCredential(db: Queryable, participantId: string, id: string): Promise<StoredCredential | undefined> {
  const result = await db.query<CredentialRow>(
    `SELECT ${columns} FROM holder_credentials WHERE participant_id = $1 AND id = $2`,
    [participantId, id],
  )
  return result.rows[0] && toCredential(result.rows[0])
}

export async function deleteCredential(db: Queryable, participantId: string, id: string): Promise<boolean> {
  const result = await db.query('DELETE FROM holder_credentials WHERE participant_id = $1 AND id = $2', [participantId, id])
  return result.rowCount === 1
}

/**
 * Claims credentials with status entries whose state a status list can still change, least
 * recently checked first. Revoked is final, and expired credentials are never presented, so
 * neither is checked. Claiming sets `state_checked_at`, and locked rows are skipped, so replicas
 * sharing the database check different credentials.
 */
export async function claimCredentialsForStatusCheck(db: Queryable, now: Date, limit: number): Promise<StoredCredential[]> {
  const result = await db.query<CredentialRow>(
    `UPDATE holder_credentials SET state_checked_at = $1
     WHERE id IN (
       SELECT id FROM holder_credentials
       WHERE state <> 'revoked' AND jsonb_array_length(status_entries) > 0 AND (valid_until IS NULL OR valid_until > $1)
       ORDER BY state_checked_at NULLS FIRST, id LIMIT $2
       FOR UPDATE SKIP LOCKED)
     RETURNING ${columns}`,
    [now, limit],
  )
  return result.rows.map(toCredential)
}

export async function setCredentialState(db: Queryable, id: string, state: StoredCredentialState): Promise<void> {
  await db.query('UPDATE holder_credentials SET state = $2, state_checked_at = now() WHERE id = $1', [id, state])
}

function toCredential(row: CredentialRow): StoredCredential {
  return {
    id: row.id,
    participantId: row.participant_id,
    credentialId: row.credential_id,
    profile: row.profile,
    types: row.types,
    issuerDid: row.issuer_did,
    subjectDid: row.subject_did,
    raw: row.raw,
    document: row.document,
    statusEntries: row.status_entries,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    state: row.state,
    issuerPid: row.issuer_pid,
    holderPid: row.holder_pid,
    receivedAt: row.received_at,
  }
}
