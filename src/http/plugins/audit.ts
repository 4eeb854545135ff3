import type { FastifyRequest } from 'fastify'
import { runAudited, type AuditSpec } from '../../storage/audited-transaction.js'
import type { Database, Queryable } from '../../storage/database.js'

export type { AuditSpec }

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
  const actor = { actor: request.principal?.actor ?? 'anonymous', requestId: String(request.id) }
  return runAudited(db, actor, spec, work, (auditError) => {
    request.log.error({ err: auditError, action: spec.action }, 'failed to write audit row of a failed change')
  })
}
