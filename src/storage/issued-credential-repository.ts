import { NotFoundError } from '../errors/app-error.js'
import type { Queryable } from './database.js'
import type { StatusEntryPosition } from './status-list-repository.js'

export type IssuedCredentialStatus = 'active' | 'suspended' | 'revoked'

/** A credential the issuer signed, with the status list positions that revoke or suspend it. */
export interface IssuedCredential {
  id: string
  participantId: string
  issuerPid: string
  holderDid: string
  definitionId: string
  credentialType: string
  profile: string
  raw: string
  status: IssuedCredentialStatus
  revocation: StatusEntryPosition
  suspension: StatusEntryPosition | null
  issuedAt: Date
  expiresAt: Date
}

interface IssuedRow extends Record<string, unknown> {
  id: string
  participant_id: string
  issuer_pid: string
  holder_did: string
  definition_id: string
  credential_type: string
  profile: string
  raw: string
  status: IssuedCredentialStatus
  revocation_list_id: string
  revocation_index: number
  suspension_list_id: string | null
  suspension_index: number | null
  issued_at: Date
  expires_at: Date
}

const columns = `id, participant_id, issuer_pid, holder_did, definition_id, credential_type, profile, raw, status,
  revocation_list_id, revocation_index, suspension_list_id, suspension_index, issued_at, expires_at`

export async function insertIssuedCredential(tx: Queryable, credential: Omit<IssuedCredential, 'status'>): Promise<void> {
  await tx.query(
    `INSERT INTO issuer_issued_credentials (id, participant_id, issuer_pid, holder_did, definition_id, credential_type,
       profile, raw, revocation_list_id, revocation_index, suspension_list_id, suspension_index, issued_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      credential.id,
      credential.participantId,
      credential.issuerPid,
      credential.holderDid,
      credential.definitionId,
      credential.credentialType,
      credential.profile,
      credential.raw,
      credential.revocation.listId,
      credential.revocation.index,
      credential.suspension?.listId ?? null,
      credential.suspension?.index ?? null,
      credential.issuedAt,
      credential.expiresAt,
    ],
  )
}

export async function listCredentialsOfRequest(db: Queryable, issuerPid: string): Promise<IssuedCredential[]> {
  const result = await db.query<IssuedRow>(
    `SELECT ${columns} FROM issuer_issued_credentials WHERE issuer_pid = $1 ORDER BY issued_at, id`,
    [issuerPid],
  )
  return result.rows.map(toIssued)
}

export async function listIssuedCredentials(
  db: Queryable,
  participantId: string,
  filter: { holderDid?: string; limit: number },
): Promise<IssuedCredential[]> {
  const result = await db.query<IssuedRow>(
    `SELECT ${columns} FROM issuer_issued_credentials
     WHERE participant_id = $1 AND ($2::text IS NULL OR holder_did = $2) ORDER BY issued_at DESC LIMIT $3`,
    [participantId, filter.holderDid ?? null, filter.limit],
  )
  return result.rows.map(toIssued)
}

/** Returns the status of an issued credential, or undefined when the issuer did not issue it. */
export async function findIssuedCredentialStatus(
  db: Queryable,
  participantId: string,
  id: string,
): Promise<IssuedCredentialStatus | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  const result = await db.query<{ status: IssuedCredentialStatus }>(
    'SELECT status FROM issuer_issued_credentials WHERE participant_id = $1 AND id = $2',
    [participantId, id],
  )
  return result.rows[0]?.status
}

/** Loads an issued credential and locks it, so two status changes apply one after the other. */
export async function lockIssuedCredential(tx: Queryable, participantId: string, id: string): Promise<IssuedCredential> {
  const valid = /^[0-9a-f-]{36}$/i.test(id)
  const result = valid
    ? await tx.query<IssuedRow>(
        `SELECT ${columns} FROM issuer_issued_credentials WHERE participant_id = $1 AND id = $2 FOR UPDATE`,
        [participantId, id],
      )
    : { rows: [] }
  if (!result.rows[0]) {
    throw new NotFoundError('ERR_ISSUER_CREDENTIAL_NOT_FOUND', `issuer "${participantId}" has no issued credential "${id}"`)
  }
  return toIssued(result.rows[0])
}

export async function updateIssuedCredentialStatus(tx: Queryable, id: string, status: IssuedCredentialStatus): Promise<void> {
  await tx.query('UPDATE issuer_issued_credentials SET status = $2 WHERE id = $1', [id, status])
}

function toIssued(row: IssuedRow): IssuedCredential {
  return {
    id: row.id,
    participantId: row.participant_id,
    issuerPid: row.issuer_pid,
    holderDid: row.holder_did,
    definitionId: row.definition_id,
    credentialType: row.credential_type,
    profile: row.profile,
    raw: row.raw,
    status: row.status,
    revocation: { listId: row.revocation_list_id, index: row.revocation_index },
    suspension:
      row.suspension_list_id === null || row.suspension_index === null
        ? null
        : { listId: row.suspension_list_id, index: row.suspension_index },
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
  }
}
