import { AppError } from '../errors/app-error.js'
import { insertAuditEvent } from './audit-repository.js'
import type { Database, Queryable } from './database.js'

export interface AuditSpec {
  action: string
  target: string
  participantId: string | null
  detail?: Record<string, unknown>
  /** Adds to the detail of a successful change what only its result holds, such as a new id. */
  resultDetail?: (result: unknown) => Record<string, unknown>
}

/** Who made a change: `admin`, `api-key:<id>` or `cli`, and the request id when there is one. */
export interface AuditActor {
  actor: string
  requestId: string | null
}

/**
 * Runs a change in a transaction that also writes its audit row, so no change lands without
 * one. A failed change is audited afterwards with its error code; when even that row cannot be
 * written, `onAuditFailure` receives the error and the change's own error is raised.
 */
export async function runAudited<T>(
  db: Database,
  actor: AuditActor,
  spec: AuditSpec,
  work: (tx: Queryable) => Promise<T>,
  onAuditFailure: (error: unknown) => void,
): Promise<T> {
  const base = {
    actor: actor.actor,
    action: spec.action,
    target: spec.target,
    participantId: spec.participantId,
    requestId: actor.requestId,
    detail: spec.detail ?? {},
  }
  try {
    return await db.transaction(async (tx) => {
      const result = await work(tx)
      const detail = { ...base.detail, ...spec.resultDetail?.(result) }
      await insertAuditEvent(tx, { ...base, detail, outcome: 'success', errorCode: null })
      return result
    })
  } catch (error) {
    const errorCode = error instanceof AppError ? error.code : 'ERR_INTERNAL'
    try {
      await insertAuditEvent(db, { ...base, outcome: 'failure', errorCode })
    } catch (auditError) {
      onAuditFailure(auditError)
    }
    throw error
  }
}
