import { ConflictError, NotFoundError } from '../errors/app-error.js'
import type { Queryable } from './database.js'

export type DeliveryState = 'pending' | 'delivering' | 'delivered' | 'dead'

/** One CredentialMessage waiting in the outbox, or its outcome. */
export interface Delivery {
  id: string
  participantId: string
  issuerPid: string
  state: DeliveryState
  attempts: number
  nextAttemptAt: Date
  lastError: string | null
  createdAt: Date
  deliveredAt: Date | null
}

interface DeliveryRow extends Record<string, unknown> {
  id: string
  participant_id: string
  issuer_pid: string
  state: DeliveryState
  attempts: number
  next_attempt_at: Date
  last_error: string | null
  created_at: Date
  delivered_at: Date | null
}

const columns = 'id::text AS id, participant_id, issuer_pid, state, attempts, next_attempt_at, last_error, created_at, delivered_at'

/** Adds a delivery in the transaction that issued or rejected the request, so none is lost. */
export async function enqueueDelivery(tx: Queryable, participantId: string, issuerPid: string): Promise<void> {
  await tx.query("INSERT INTO issuer_deliveries (participant_id, issuer_pid, state) VALUES ($1, $2, 'pending')", [
    participantId,
    issuerPid,
  ])
}

/**
 * Claims up to `limit` due deliveries for this replica: pending ones whose time has come, and
 * delivering ones whose lease ran out because their replica stopped. SKIP LOCKED lets replicas
 * claim side by side without waiting on each other, and the lease of `leaseMs` keeps a claimed
 * row away from the others until the attempt is recorded.
 */
export async function claimDueDeliveries(db: Queryable, limit: number, leaseMs: number): Promise<Delivery[]> {
  const result = await db.query<DeliveryRow>(
    `UPDATE issuer_deliveries SET state = 'delivering', attempts = attempts + 1,
       locked_until = now() + ($2::int * interval '1 millisecond')
     WHERE id IN (
       SELECT id FROM issuer_deliveries
       WHERE (state = 'pending' AND next_attempt_at <= now()) OR (state = 'delivering' AND locked_until < now())
       ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING ${columns}`,
    [limit, leaseMs],
  )
  return result.rows.map(toDelivery)
}

export async function markDelivered(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE issuer_deliveries SET state = 'delivered', delivered_at = now(), locked_until = NULL, last_error = NULL
     WHERE id = $1 AND state = 'delivering'`,
    [id],
  )
}

/** Records a failed attempt: pending again at `nextAttemptAt`, or dead when it is undefined. */
export async function markFailed(db: Queryable, id: string, error: string, nextAttemptAt: Date | undefined): Promise<void> {
  await db.query(
    `UPDATE issuer_deliveries SET state = $2, next_attempt_at = COALESCE($3, next_attempt_at), locked_until = NULL,
       last_error = $4 WHERE id = $1 AND state = 'delivering'`,
    [id, nextAttemptAt === undefined ? 'dead' : 'pending', nextAttemptAt ?? null, error.slice(0, 1000)],
  )
}

export async function listDeliveries(
  db: Queryable,
  participantId: string,
  filter: { state?: DeliveryState; limit: number },
): Promise<Delivery[]> {
  const result = await db.query<DeliveryRow>(
    `SELECT ${columns} FROM issuer_deliveries WHERE participant_id = $1 AND ($2::text IS NULL OR state = $2)
     ORDER BY id DESC LIMIT $3`,
    [participantId, filter.state ?? null, filter.limit],
  )
  return result.rows.map(toDelivery)
}

/** Puts a dead delivery back in the queue with a fresh attempt budget. */
export async function retryDeadDelivery(tx: Queryable, participantId: string, id: string): Promise<Delivery> {
  const found = /^\d{1,18}$/.test(id)
    ? await tx.query<DeliveryRow>(`SELECT ${columns} FROM issuer_deliveries WHERE participant_id = $1 AND id = $2 FOR UPDATE`, [
        participantId,
        id,
      ])
    : { rows: [] }
  const current = found.rows[0]
  if (!current) throw new NotFoundError('ERR_ISSUER_DELIVERY_NOT_FOUND', `issuer "${participantId}" has no delivery "${id}"`)
  if (current.state !== 'dead') {
    throw new ConflictError('ERR_ISSUER_DELIVERY_STATE', `delivery "${id}" is ${current.state}; only a dead delivery can be retried`)
  }
  const result = await tx.query<DeliveryRow>(
    `UPDATE issuer_deliveries SET state = 'pending', attempts = 0, next_attempt_at = now() WHERE id = $1 RETURNING ${columns}`,
    [id],
  )
  return toDelivery(result.rows[0]!)
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    participantId: row.participant_id,
    issuerPid: row.issuer_pid,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  }
}

/** Deletes deliveries that succeeded before `before`, so the outbox does not grow without bound. */
export async function deleteDeliveredBefore(db: Queryable, before: Date): Promise<number> {
  const result = await db.query("DELETE FROM issuer_deliveries WHERE state = 'delivered' AND delivered_at < $1", [before])
  return result.rowCount
}
