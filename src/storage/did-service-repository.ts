import type { DidService } from '../did/document.js'
import { ConflictError, NotFoundError } from '../errors/app-error.js'
import type { Queryable } from './database.js'
import { isUniqueViolation } from './open-database.js'
import { getParticipant } from './participant-repository.js'

export interface StoredDidService extends DidService {
  createdAt: Date
}

interface ServiceRow extends Record<string, unknown> {
  id: string
  type: string
  service_endpoint: string
  created_at: Date
}

export async function insertDidService(db: Queryable, participantId: string, service: DidService): Promise<StoredDidService> {
  try {
    const result = await db.query<ServiceRow>(
      `INSERT INTO did_services (participant_id, id, type, service_endpoint) VALUES ($1, $2, $3, $4)
       RETURNING id, type, service_endpoint, created_at`,
      [participantId, service.id, service.type, service.serviceEndpoint],
    )
    return toService(result.rows[0]!)
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError('ERR_SERVICE_CONFLICT', `participant "${participantId}" already has a service "${service.id}"`)
    }
    throw error
  }
}

export async function listDidServices(db: Queryable, participantId: string): Promise<StoredDidService[]> {
  const result = await db.query<ServiceRow>(
    'SELECT id, type, service_endpoint, created_at FROM did_services WHERE participant_id = $1 ORDER BY created_at, id',
    [participantId],
  )
  return result.rows.map(toService)
}

export async function deleteDidService(db: Queryable, participantId: string, serviceId: string): Promise<void> {
  const result = await db.query('DELETE FROM did_services WHERE participant_id = $1 AND id = $2', [participantId, serviceId])
  if (result.rowCount === 0) {
    await getParticipant(db, participantId)
    throw new NotFoundError('ERR_SERVICE_NOT_FOUND', `participant "${participantId}" has no service "${serviceId}"`)
  }
}

function toService(row: ServiceRow): StoredDidService {
  return { id: row.id, type: row.type, serviceEndpoint: row.service_endpoint, createdAt: row.created_at }
}
