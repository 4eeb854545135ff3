import { ConflictError, NotFoundError } from '../errors/app-error.js'
import type { CredentialRequest, RequestState } from '../issuer/credential-request.js'
import type { Queryable } from './database.js'

interface RequestRow extends Record<string, unknown> {
  participant_id: string
  issuer_pid: string
  holder_did: string
  holder_pid: string
  definition_ids: string[]
  state: RequestState
  auto_approve: boolean
  rejection_reason: string | null
  created_at: Date
  updated_at: Date
}

const columns = `participant_id, issuer_pid, holder_did, holder_pid, definition_ids, state, auto_approve, rejection_reason,
  created_at, updated_at`

export async function insertCredentialRequest(
  db: Queryable,
  request: Pick<CredentialRequest, 'participantId' | 'issuerPid' | 'holderDid' | 'holderPid' | 'definitionIds' | 'autoApprove'>,
): Promise<CredentialRequest> {
  const result = await db.query<RequestRow>(
    `INSERT INTO issuer_credential_requests
       (participant_id, issuer_pid, holder_did, holder_pid, definition_ids, state, auto_approve)
     VALUES ($1, $2, $3, $4, $5, 'received', $6) RETURNING ${columns}`,
    [request.participantId, request.issuerPid, request.holderDid, request.holderPid, request.definitionIds, request.autoApprove],
  )
  return toRequest(result.rows[0]!)
}

export async function holderPidUsed(db: Queryable, participantId: string, holderDid: string, holderPid: string): Promise<boolean> {
  const result = await db.query(
    'SELECT 1 FROM issuer_credential_requests WHERE participant_id = $1 AND holder_did = $2 AND holder_pid = $3 LIMIT 1',
    [participantId, holderDid, holderPid],
  )
  return result.rows.length > 0
}

/** Finds a request of an issuer; undefined when the id is unknown or not a UUID. */
export async function findCredentialRequest(
  db: Queryable,
  participantId: string,
  issuerPid: string,
): Promise<CredentialRequest | undefined> {
  if (!isUuid(issuerPid)) return undefined
  const result = await db.query<RequestRow>(
    `SELECT ${columns} FROM issuer_credential_requests WHERE participant_id = $1 AND issuer_pid = $2`,
    [participantId, issuerPid],
  )
  return result.rows[0] ? toRequest(result.rows[0]) : undefined
}

/** Loads a request and locks it for the transaction, so approval and rejection cannot race. */
export async function lockCredentialRequest(tx: Queryable, participantId: string, issuerPid: string): Promise<CredentialRequest> {
  const result = isUuid(issuerPid)
    ? await tx.query<RequestRow>(
        `SELECT ${columns} FROM issuer_credential_requests WHERE participant_id = $1 AND issuer_pid = $2 FOR UPDATE`,
        [participantId, issuerPid],
      )
    : { rows: [] }
  if (!result.rows[0]) {
    throw new NotFoundError('ERR_ISSUER_REQUEST_NOT_FOUND', `issuer "${participantId}" has no credential request "${issuerPid}"`)
  }
  return toRequest(result.rows[0])
}

export async function listCredentialRequests(
  db: Queryable,
  participantId: string,
  filter: { state?: RequestState; limit: number },
): Promise<CredentialRequest[]> {
  const result = await db.query<RequestRow>(
    `SELECT ${columns} FROM issuer_credential_requests
     WHERE participant_id = $1 AND ($2::text IS NULL OR state = $2) ORDER BY created_at DESC LIMIT $3`,
    [participantId, filter.state ?? null, filter.limit],
  )
  return result.rows.map(toRequest)
}

/**
 * Auto-approved requests still received after `olderThan`, because their issuance failed, and
 * marks them touched so that replicas and the next run do not pick them again at once.
 */
export async function claimStalledAutoRequests(db: Queryable, olderThan: Date, limit: number): Promise<CredentialRequest[]> {
  const result = await db.query<RequestRow>(
    `UPDATE issuer_credential_requests SET updated_at = now()
     WHERE issuer_pid IN (
       SELECT issuer_pid FROM issuer_credential_requests
       WHERE state = 'received' AND auto_approve AND updated_at < $1
       ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING ${columns}`,
    [olderThan, limit],
  )
  return result.rows.map(toRequest)
}

/** Moves a received request to a final state; fails when it is not waiting any more. */
export async function finishCredentialRequest(
  tx: Queryable,
  request: CredentialRequest,
  outcome: { state: 'issued' } | { state: 'rejected'; reason: string },
): Promise<CredentialRequest> {
  const result = await tx.query<RequestRow>(
    `UPDATE issuer_credential_requests SET state = $3, rejection_reason = $4, updated_at = now()
     WHERE participant_id = $1 AND issuer_pid = $2 AND state = 'received' RETURNING ${columns}`,
    [request.participantId, request.issuerPid, outcome.state, outcome.state === 'rejected' ? outcome.reason : null],
  )
  if (!result.rows[0]) {
    throw new ConflictError('ERR_ISSUER_REQUEST_STATE', `credential request "${request.issuerPid}" is ${request.state}, not received`)
  }
  return toRequest(result.rows[0])
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
}

function toRequest(row: RequestRow): CredentialRequest {
  return {
    participantId: row.participant_id,
    issuerPid: row.issuer_pid,
    holderDid: row.holder_did,
    holderPid: row.holder_pid,
    definitionIds: row.definition_ids,
    state: row.state,
    autoApprove: row.auto_approve,
    rejectionReason: row.rejection_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
