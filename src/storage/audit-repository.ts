import type { Queryable } from './database.js'

/** One audited admin change, successful or not. */
export interface AuditEvent {
  id: number
  occurredAt: Date
  /** `admin` for the bootstrap token, `api-key:<id>` for a participant API key. */
  actor: string
  /** Dotted verb such as `participant.create`. */
  action: string
  /** What the action touched, such as `participant:companyx`. */
  target: string
  participantId: string | null
  outcome: 'success' | 'failure'
  errorCode: string | null
  requestId: string | null
  detail: Record<string, unknown>
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'occurredAt'>

export interface AuditFilter {
  participantId?: string
  action?: string
  actor?: string
  outcome?: 'success' | 'failure'
  since?: Date
  until?: Date
  /** Id below which the page starts, from the previous page; newest first. */
  before?: number
  limit: number
}

interface AuditRow extends Record<string, unknown> {
  id: number
  occurred_at: Date
  actor: string
  action: string
  target: string
  participant_id: string | null
  outcome: 'success' | 'failure'
  error_code: string | null
  request_id: string | null
  detail: Record<string, unknown>
}

export async function insertAuditEvent(db: Queryable, event: NewAuditEvent): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (actor, action, target, participant_id, outcome, error_code, request_id, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [
      event.actor,
      event.action,
      event.target,
      event.participantId,
      event.outcome,
      event.errorCode,
      event.requestId,
      JSON.stringify(event.detail),
    ],
  )
}

export async function listAuditEvents(db: Queryable, filter: AuditFilter): Promise<AuditEvent[]> {
  const conditions: string[] = []
  const params: unknown[] = []
  if (filter.participantId) conditions.push(`participant_id = $${params.push(filter.participantId)}`)
  if (filter.action) conditions.push(`action = $${params.push(filter.action)}`)
  if (filter.actor) conditions.push(`actor = $${params.push(filter.actor)}`)
  if (filter.outcome) conditions.push(`outcome = $${params.push(filter.outcome)}`)
  if (filter.since) conditions.push(`occurred_at >= $${params.push(filter.since)}`)
  if (filter.until) conditions.push(`occurred_at < $${params.push(filter.until)}`)
  if (filter.before) conditions.push(`id < $${params.push(filter.before)}`)
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''
  const result = await db.query<AuditRow>(
    `SELECT id, occurred_at, actor, action, target, participant_id, outcome, error_code, request_id, detail
     FROM audit_events ${where} ORDER BY id DESC LIMIT $${params.push(filter.limit)}`,
    params,
  )
  return result.rows.map((row) => ({
    id: Number(row.id),
    occurredAt: row.occurred_at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    participantId: row.participant_id,
    outcome: row.outcome,
    errorCode: row.error_code,
    requestId: row.request_id,
    detail: row.detail,
  }))
}
