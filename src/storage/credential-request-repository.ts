import { randomUUID } from 'node:crypto'
import type { Queryable } from './database.js'

export type CredentialRequestState = 'pending' | 'requested' | 'issued' | 'rejected' | 'error'

/** States of a request that is still open or succeeded, so the same credentials need no new request. */
export const liveRequestStates: readonly CredentialRequestState[] = ['pending', 'requested', 'issued']

/** A credential request this participant sent, or is about to send, to an issuer as a holder. */
export interface CredentialRequest {
  id: string
  participantId: string
  /** The holder's id of the request, echoed by the issuer in its CredentialMessage. */
  holderPid: string
  issuerDid: string
  issuerPid: string | null
  state: CredentialRequestState
  /** Requested credential types, matched against the `credentialType` of the issuer metadata. */
  credentialTypes: string[]
  /** Ids of the issuer metadata's CredentialObjects; given by the caller or found from the types. */
  credentialObjectIds: string[]
  rejectionReason: string | null
  /** Failed send attempts and polls so far. */
  attempts: number
  lastError: string | null
  /** When a pending request is sent again, or a requested one is polled. */
  nextAttemptAt: Date | null
  /** The stored credential this request renews. */
  renewsCredentialId: string | null
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
  credential_object_ids: string[]
  rejection_reason: string | null
  attempts: number
  last_error: string | null
  next_attempt_at: Date | null
  renews_credential_id: string | null
  created_at: Date
  updated_at: Date
}

const columns = `id, participant_id, holder_pid, issuer_did, issuer_pid, state, credential_types, credential_object_ids,
  rejection_reason, attempts, last_error, next_attempt_at, renews_credential_id, created_at, updated_at`

export interface NewCredentialRequest {
  participantId: string
  holderPid: string
  issuerDid: string
  credentialTypes?: string[]
  credentialObjectIds?: string[]
  /**
   * Initial state. `requested` records a request sent by other means, which is polled only from
   * `pollAt` on.
   */
  state?: 'pending' | 'requested'
  pollAt?: Date
  /** Reserves the new row for the caller this long, so the background task does not send it too. */
  claimMs?: number
  renewsCredentialId?: string
}

/** Records a request before it is sent, so its CredentialMessage is accepted whenever it arrives. */
export async function insertCredentialRequest(db: Queryable, input: NewCredentialRequest): Promise<CredentialRequest> {
  const result = await db.query<CredentialRequestRow>(
    `INSERT INTO credential_requests (id, participant_id, holder_pid, issuer_did, credential_types, credential_object_ids,
       state, next_attempt_at, claimed_until, renews_credential_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($10, CASE WHEN $7 = 'pending' THEN now() END),
       now() + ($8::int * interval '1 millisecond'), $9)
     RETURNING ${columns}`,
    [
      randomUUID(),
      input.participantId,
      input.holderPid,
      input.issuerDid,
      input.credentialTypes ?? [],
      input.credentialObjectIds ?? [],
      input.state ?? 'requested',
      input.claimMs ?? 0,
      input.renewsCredentialId ?? null,
      input.pollAt ?? null,
    ],
  )
  return toRequest(result.rows[0]!)
}

/**
 * Records the renewal of a stored credential; returns undefined when the credential already has
 * one. The unique index on `renews_credential_id` makes the check and the insert atomic, so two
 * replicas cannot both create it.
 */
export async function insertRenewalRequest(
  db: Queryable,
  input: { participantId: string; issuerDid: string; credentialTypes: string[]; renewsCredentialId: string },
): Promise<CredentialRequest | undefined> {
  const result = await db.query<CredentialRequestRow>(
    `INSERT INTO credential_requests (id, participant_id, holder_pid, issuer_did, credential_types, state, next_attempt_at,
       renews_credential_id)
     VALUES ($1, $2, $3, $4, $5, 'pending', now(), $6)
     ON CONFLICT (renews_credential_id) WHERE renews_credential_id IS NOT NULL DO NOTHING
     RETURNING ${columns}`,
    [randomUUID(), input.participantId, randomUUID(), input.issuerDid, input.credentialTypes, input.renewsCredentialId],
  )
  return result.rows[0] && toRequest(result.rows[0])
}

/** Finds a request by the holderPid an issuer's CredentialMessage carries. */
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

export async function findCredentialRequestById(
  db: Queryable,
  participantId: string,
  id: string,
): Promise<CredentialRequest | undefined> {
  const result = await db.query<CredentialRequestRow>(
    `SELECT ${columns} FROM credential_requests WHERE participant_id = $1 AND id = $2`,
    [participantId, id],
  )
  return result.rows[0] && toRequest(result.rows[0])
}

/** Lists a participant's requests, newest first. */
export async function listCredentialRequests(
  db: Queryable,
  filter: { participantId: string; state?: CredentialRequestState; limit: number },
): Promise<CredentialRequest[]> {
  const params: unknown[] = [filter.participantId, filter.limit]
  const stateCondition = filter.state ? `AND state = $${params.push(filter.state)}` : ''
  const result = await db.query<CredentialRequestRow>(
    `SELECT ${columns} FROM credential_requests WHERE participant_id = $1 ${stateCondition}
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    params,
  )
  return result.rows.map(toRequest)
}

/**
 * Tells whether the participant has a pending, requested or issued request to `issuerDid` for
 * exactly these types or credential object ids, in any order.
 */
export async function hasLiveCredentialRequest(
  db: Queryable,
  input: { participantId: string; issuerDid: string; credentialTypes: string[]; credentialObjectIds: string[] },
): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM credential_requests
     WHERE participant_id = $1 AND issuer_did = $2 AND state = ANY ($3::text[])
       AND ((cardinality($4::text[]) > 0 AND credential_types @> $4 AND credential_types <@ $4)
         OR (cardinality($5::text[]) > 0 AND credential_object_ids @> $5 AND credential_object_ids <@ $5))
     LIMIT 1`,
    [input.participantId, input.issuerDid, liveRequestStates, input.credentialTypes, input.credentialObjectIds],
  )
  return result.rows.length > 0
}

/**
 * Claims due pending and requested requests for one replica: each is reserved for `claimMs`,
 * and FOR UPDATE SKIP LOCKED keeps two replicas from claiming the same row.
 */
export async function claimDueCredentialRequests(db: Queryable, limit: number, claimMs: number): Promise<CredentialRequest[]> {
  const result = await db.query<CredentialRequestRow>(
    `UPDATE credential_requests SET claimed_until = now() + ($2::int * interval '1 millisecond')
     WHERE id IN (
       SELECT id FROM credential_requests
       WHERE state IN ('pending', 'requested') AND next_attempt_at <= now()
         AND (claimed_until IS NULL OR claimed_until < now())
       ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING ${columns}`,
    [limit, claimMs],
  )
  return result.rows.map(toRequest)
}

/** Records that the issuer accepted the request, and when to poll its status if no message arrives. */
export async function markCredentialRequestSent(
  db: Queryable,
  id: string,
  update: { issuerPid: string | null; credentialObjectIds: string[]; pollAt: Date },
): Promise<CredentialRequest> {
  const result = await db.query<CredentialRequestRow>(
    `UPDATE credential_requests
     SET state = 'requested', issuer_pid = COALESCE($2, issuer_pid), credential_object_ids = $3, attempts = 0,
       last_error = NULL, next_attempt_at = $4, claimed_until = NULL, updated_at = now()
     WHERE id = $1 AND state = 'pending' RETURNING ${columns}`,
    [id, update.issuerPid, update.credentialObjectIds, update.pollAt],
  )
  return result.rows[0] ? toRequest(result.rows[0]) : await requireRequest(db, id)
}

/**
 * Records a failed send attempt or poll: the request keeps its state and is tried again at
 * `nextAttemptAt`, or becomes `error` when that is undefined. A request that became issued,
 * rejected or error meanwhile is left unchanged.
 */
export async function markCredentialRequestFailed(
  db: Queryable,
  id: string,
  update: { error: string; nextAttemptAt: Date | undefined; countsAsAttempt: boolean; credentialObjectIds?: string[] },
): Promise<CredentialRequest> {
  const result = await db.query<CredentialRequestRow>(
    `UPDATE credential_requests
     SET state = CASE WHEN $3::timestamptz IS NULL THEN 'error' ELSE state END,
       attempts = attempts + CASE WHEN $4 THEN 1 ELSE 0 END,
       last_error = $2, next_attempt_at = $3, claimed_until = NULL,
       credential_object_ids = COALESCE($5, credential_object_ids), updated_at = now()
     WHERE id = $1 AND state IN ('pending', 'requested') RETURNING ${columns}`,
    [id, update.error, update.nextAttemptAt ?? null, update.countsAsAttempt, update.credentialObjectIds ?? null],
  )
  return result.rows[0] ? toRequest(result.rows[0]) : await requireRequest(db, id)
}

/**
 * Sets the state the issuer reported, with its id of the request and its reason for a
 * rejection. With `onlyFrom`, only a request in one of those states changes. A closed request
 * leaves the background task's queue.
 */
export async function updateCredentialRequestState(
  db: Queryable,
  id: string,
  update: {
    state: CredentialRequestState
    issuerPid?: string
    rejectionReason?: string | null
    onlyFrom?: readonly CredentialRequestState[]
  },
): Promise<void> {
  await db.query(
    `UPDATE credential_requests
     SET state = $2, issuer_pid = COALESCE($3, issuer_pid), rejection_reason = $4, claimed_until = NULL,
       next_attempt_at = CASE WHEN $2 IN ('pending', 'requested') THEN next_attempt_at ELSE NULL END, updated_at = now()
     WHERE id = $1 AND ($5::text[] IS NULL OR state = ANY ($5::text[]))`,
    [id, update.state, update.issuerPid ?? null, update.rejectionReason ?? null, update.onlyFrom ?? null],
  )
}

/**
 * Makes an `error` or `rejected` request pending again with a new holderPid and a fresh attempt
 * budget, reserved for the caller for `claimMs`. Returns undefined when the request is in another
 * state. The new holderPid keeps the
 * issuer from rejecting the resend as a repeated one.
 */
export async function resetCredentialRequest(
  db: Queryable,
  participantId: string,
  id: string,
  claimMs = 0,
): Promise<CredentialRequest | undefined> {
  const result = await db.query<CredentialRequestRow>(
    `UPDATE credential_requests
     SET state = 'pending', holder_pid = $3, issuer_pid = NULL, rejection_reason = NULL, attempts = 0, last_error = NULL,
       next_attempt_at = now(), claimed_until = now() + ($4::int * interval '1 millisecond'), updated_at = now()
     WHERE participant_id = $1 AND id = $2 AND state IN ('error', 'rejected') RETURNING ${columns}`,
    [participantId, id, randomUUID(), claimMs],
  )
  return result.rows[0] && toRequest(result.rows[0])
}

/** Links stored credentials to the request they were delivered for. A credential linked before keeps its link. */
export async function linkCredentialsToRequest(db: Queryable, requestId: string, credentialIds: string[]): Promise<void> {
  await db.query(
    `UPDATE holder_credentials SET credential_request_id = $1
     WHERE id = ANY ($2::uuid[]) AND credential_request_id IS NULL`,
    [requestId, credentialIds],
  )
}

/** A stored credential that expires within the renewal window and has no renewal request yet. */
export interface RenewalCandidate {
  credentialId: string
  participantId: string
  issuerDid: string
  types: string[]
  validUntil: Date
}

/**
 * Lists issued credentials that came from a request, expire before `before`, and have no renewal
 * request yet, soonest first.
 */
export async function listRenewalCandidates(db: Queryable, before: Date, limit: number): Promise<RenewalCandidate[]> {
  const result = await db.query<{ id: string; participant_id: string; issuer_did: string; types: string[]; valid_until: Date }>(
    `SELECT c.id, c.participant_id, c.issuer_did, c.types, c.valid_until
     FROM holder_credentials c JOIN participants p ON p.id = c.participant_id
     WHERE c.credential_request_id IS NOT NULL AND c.state = 'issued' AND c.valid_until IS NOT NULL
       AND c.valid_until <= $1 AND p.state = 'active'
       AND NOT EXISTS (SELECT 1 FROM credential_requests r WHERE r.renews_credential_id = c.id)
     ORDER BY c.valid_until LIMIT $2`,
    [before, limit],
  )
  return result.rows.map((row) => ({
    credentialId: row.id,
    participantId: row.participant_id,
    issuerDid: row.issuer_did,
    types: row.types,
    validUntil: row.valid_until,
  }))
}

async function requireRequest(db: Queryable, id: string): Promise<CredentialRequest> {
  const result = await db.query<CredentialRequestRow>(`SELECT ${columns} FROM credential_requests WHERE id = $1`, [id])
  return toRequest(result.rows[0]!)
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
    credentialObjectIds: row.credential_object_ids,
    rejectionReason: row.rejection_reason,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    renewsCredentialId: row.renews_credential_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
