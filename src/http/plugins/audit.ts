import type { FastifyRequest } from 'fastify'
import { AppError } from '../../errors/app-error.js'
import { insertAuditEvent } from '../../storage/audit-repository.js'
import type { Database, Queryable } from '../../storage/database.js'

export interface AuditSpec {
  action: string
  target: string
  participantId: string | null
  detail?: Record<string, unknown>
}

/**
 * Runs an admin change in a transaction that also writes its audit row, so no change lands
 * without one. A failed change is audited afterwards with its error code.
 */
export async function audited<T>(
  request: FastifyRequest,
  db: Database,
  spec: AuditSpec,
  work: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const actor = request.principal?.actor ?? 'anonymous'
  const base = {
    actor,
    action: spec.action,
    target: spec.target,
    participantId: spec.participantId,
    requestId: String(request.id),
    detail: spec.detail ?? {},
  }
  try {
    return await db.transaction(async (tx) => {
      const result = await work(tx)
      await insertAuditEvent(tx, { ...base, outcome: 'success', errorCode: null })
      return result
    })
  } catch (error) {
    const errorCode = error instanceof AppError ? error.code : 'ERR_INTERNAL'
    try {
      await insertAuditEvent(db, { ...base, outcome: 'failure', errorCode })
    } catch (auditError) {
      request.log.error({ err: auditError, action: spec.action }, 'failed to write audit row of a failed change')
    }
    throw error
  }
}
