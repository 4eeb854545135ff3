import { randomUUID } from 'node:crypto'
import type { Queryable } from './database.js'

export type CredentialRequestState = 'requested' | 'issued' | 'rejected' | 'error'

/** A credential request this participant sent to an issuer as a holder. */
export interface CredentialRequest {
  id: string
  participantId: string
  /** The holder's id of the request, echoed by the issuer in its CredentialMessage. */
  holderPid: string
  issuerDid: string
  issuerPid: string | null
  state: CredentialRequestState
  credentialTypes: string[]
  rejectionReason: string | null
  createdAt: Date
  updatedAt: Date
}

interface CredentialRequestRow extends Record<string, unknown> {
  id: string
  participant_id: string
  holder_pid: string
  issuer_did: string
  issuer_pid: string | null
  state: CredentialRequestState
  credential_types: string[]
  rejection_reason: string | null
  created_at: Date
  updated_at: Date
}

const columns = `id, participant_id, holder_pid, issuer_did, issuer_pid, state, credential_types, rejection_reason,
  created_at, updated_at`

/** Records a request before it is sent, so its CredentialMessage is accepted whenever it arrives. */
export async function insertCredentialRequest(
  db: Queryable,
  input: { participantId: string; holderPid: string; issuerDid: string; credentialTypes?: string[] },
): Promise<CredentialRequest> {
  const result = await db.query<CredentialRequestRow>(
    `INSERT INTO credential_requests (id, participant_id, holder_pid, issuer_did, credential_types)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${columns}`,
    [randomUUID(), input.participantId, input.holderPid, input.issuerDid, input.credentialTypes ?? []],
  )
  return toRequest(result.rows[0]!)
}

export async function findCredentialRequest(
  db: Queryable,
  participantId: string,
  holderPid: string,
): Promise<CredentialRequest | undefined> {
  const result = await db.query<CredentialRequestRow>(
    `SELECT ${columns} FROM credential_requests WHERE participant_id = $1 AND holder_pid = $2`,
    [participantId, holderPid],
  )
  return result.rows[0] && toRequest(result.rows[0])
}

/** Sets the state the issuer reported, with its id of the request and its reason for a rejection. */
export async function updateCredentialRequestState(
  db: Queryable,
  id: string,
  update: { state: CredentialRequestState; issuerPid?: string; rejectionReason?: string | null },
): Promise<void> {
  await db.query(
    `UPDATE credential_requests
     SET state = $2, issuer_pid = COALESCE($3, issuer_pid), rejection_reason = $4, updated_at = now()
     WHERE id = $1`,
    [id, update.state, update.issuerPid ?? null, update.rejectionReason ?? null],
  )
}

function toRequest(row: CredentialRequestRow): CredentialRequest {
  return {
    id: row.id,
    participantId: row.participant_id,
    holderPid: row.holder_pid,
    issuerDid: row.issuer_did,
    issuerPid: row.issuer_pid,
    state: row.state,
    credentialTypes: row.credential_types,
    rejectionReason: row.rejection_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
