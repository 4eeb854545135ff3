import { randomUUID } from 'node:crypto'
import type { Queryable } from './database.js'

/** Progress of completing sparse entries: `failed` means the issuer's metadata could not be read. */
export type OfferCompletionState = 'pending' | 'complete' | 'failed'

/** A CredentialOfferMessage received from an issuer. */
export interface StoredCredentialOffer {
  id: string
  participantId: string
  issuerDid: string
  /** The `CredentialObject` entries, completed from the issuer's metadata where that succeeded. */
  credentials: Record<string, unknown>[]
  completionState: OfferCompletionState
  completionAttempts: number
  completionError: string | null
  receivedAt: Date
}

interface OfferRow extends Record<string, unknown> {
  id: string
  participant_id: string
  issuer_did: string
  credentials: Record<string, unknown>[]
  completion_state: OfferCompletionState
  completion_attempts: number
  completion_error: string | null
  received_at: Date
}

const columns = 'id, participant_id, issuer_did, credentials, completion_state, completion_attempts, completion_error, received_at'

export async function insertCredentialOffer(
  db: Queryable,
  input: { participantId: string; issuerDid: string; credentials: Record<string, unknown>[]; completionState: OfferCompletionState },
): Promise<StoredCredentialOffer> {
  const result = await db.query<OfferRow>(
    `INSERT INTO credential_offers (id, participant_id, issuer_did, credentials, completion_state)
     VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING ${columns}`,
    [randomUUID(), input.participantId, input.issuerDid, JSON.stringify(input.credentials), input.completionState],
  )
  return toOffer(result.rows[0]!)
}

/** Lists offers newest first; `afterId` is the id of the last offer of the previous page. */
export async function listCredentialOffers(
  db: Queryable,
  filter: { participantId: string; issuerDid?: string; limit: number; afterId?: string },
): Promise<StoredCredentialOffer[]> {
  const conditions = ['participant_id = $1']
  const params: unknown[] = [filter.participantId]
  if (filter.issuerDid) conditions.push(`issuer_did = $${params.push(filter.issuerDid)}`)
  if (filter.afterId) {
    const id = `$${params.push(filter.afterId)}`
    conditions.push(`(received_at, id) < (SELECT received_at, id FROM credential_offers WHERE id = ${id})`)
  }
  const result = await db.query<OfferRow>(
    `SELECT ${columns} FROM credential_offers WHERE ${conditions.join(' AND ')}
     ORDER BY received_at DESC, id DESC LIMIT $${params.push(filter.limit)}`,
    params,
  )
  return result.rows.map(toOffer)
}

/**
 * Claims up to `limit` pending offers, oldest first, for `claimSeconds` and counts the attempt.
 * Rows locked or claimed by another replica are skipped, so replicas sharing the database never
 * complete one offer twice at once. `excludeIds` leaves out offers already tried in this run.
 */
export async function claimPendingOffers(
  db: Queryable,
  claim: { limit: number; claimSeconds: number; excludeIds: readonly string[] },
): Promise<StoredCredentialOffer[]> {
  const result = await db.query<OfferRow>(
    `UPDATE credential_offers
     SET completion_attempts = completion_attempts + 1,
         completion_claimed_until = now() + make_interval(secs => $2)
     WHERE id IN (
       SELECT id FROM credential_offers
       WHERE completion_state = 'pending' AND (completion_claimed_until IS NULL OR completion_claimed_until < now())
         AND NOT (id = ANY ($3::uuid[]))
       ORDER BY received_at, id LIMIT $1
       FOR UPDATE SKIP LOCKED)
     RETURNING ${columns}`,
    [claim.limit, claim.claimSeconds, claim.excludeIds],
  )
  // UPDATE ... RETURNING keeps no order, so the oldest-first order is restored here.
  return result.rows.map(toOffer).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
}

/** Records the outcome of a claimed attempt: the entries it produced and the error if it failed. */
export async function recordOfferCompletion(
  db: Queryable,
  id: string,
  update: { credentials: Record<string, unknown>[]; state: OfferCompletionState; error: string | null },
): Promise<void> {
  await db.query(
    `UPDATE credential_offers
     SET credentials = $2::jsonb, completion_state = $3, completion_error = $4, completion_claimed_until = NULL
     WHERE id = $1`,
    [id, JSON.stringify(update.credentials), update.state, update.error],
  )
}

function toOffer(row: OfferRow): StoredCredentialOffer {
  return {
    id: row.id,
    participantId: row.participant_id,
    issuerDid: row.issuer_did,
    credentials: row.credentials,
    completionState: row.completion_state,
    completionAttempts: row.completion_attempts,
    completionError: row.completion_error,
    receivedAt: row.received_at,
  }
}
