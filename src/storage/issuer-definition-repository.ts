import { ConflictError, NotFoundError } from '../errors/app-error.js'
import type { CredentialProfile } from '../credentials/credential-format.js'
import type {
  ApprovalMode,
  ClaimMapping,
  CredentialDefinition,
  NewCredentialDefinition,
} from '../issuer/credential-definition.js'
import type { Queryable } from './database.js'
import { isUniqueViolation } from './open-database.js'

interface DefinitionRow extends Record<string, unknown> {
  id: string
  credential_type: string
  profile: CredentialProfile
  validity_seconds: number
  claims: Record<string, ClaimMapping>
  subject_schema: Record<string, unknown> | null
  contexts: string[]
  approval: ApprovalMode
  suspendable: boolean
  created_at: Date
}

const columns =
  'id, credential_type, profile, validity_seconds, claims, subject_schema, contexts, approval, suspendable, created_at'

export async function insertCredentialDefinition(
  db: Queryable,
  participantId: string,
  definition: NewCredentialDefinition,
): Promise<CredentialDefinition> {
  try {
    const result = await db.query<DefinitionRow>(
      `INSERT INTO issuer_credential_definitions
         (participant_id, id, credential_type, profile, validity_seconds, claims, subject_schema, contexts, approval, suspendable)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${columns}`,
      [
        participantId,
        definition.id,
        definition.credentialType,
        definition.profile,
        definition.validitySeconds,
        JSON.stringify(definition.claims),
        definition.subjectSchema === null ? null : JSON.stringify(definition.subjectSchema),
        definition.contexts,
        definition.approval,
        definition.suspendable,
      ],
    )
    return toDefinition(result.rows[0]!)
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        'ERR_ISSUER_DEFINITION_CONFLICT',
        `issuer "${participantId}" already has a credential definition "${definition.id}"`,
      )
    }
    throw error
  }
}

export async function listCredentialDefinitions(db: Queryable, participantId: string): Promise<CredentialDefinition[]> {
  const result = await db.query<DefinitionRow>(
    `SELECT ${columns} FROM issuer_credential_definitions WHERE participant_id = $1 ORDER BY created_at, id`,
    [participantId],
  )
  return result.rows.map(toDefinition)
}

export async function getCredentialDefinition(
  db: Queryable,
  participantId: string,
  id: string,
): Promise<CredentialDefinition> {
  const result = await db.query<DefinitionRow>(
    `SELECT ${columns} FROM issuer_credential_definitions WHERE participant_id = $1 AND id = $2`,
    [participantId, id],
  )
  const row = result.rows[0]
  if (!row) {
    throw new NotFoundError('ERR_ISSUER_DEFINITION_NOT_FOUND', `issuer "${participantId}" has no credential definition "${id}"`)
  }
  return toDefinition(row)
}

export async function deleteCredentialDefinition(db: Queryable, participantId: string, id: string): Promise<void> {
  const result = await db.query('DELETE FROM issuer_credential_definitions WHERE participant_id = $1 AND id = $2', [
    participantId,
    id,
  ])
  if (result.rowCount === 0) {
    throw new NotFoundError('ERR_ISSUER_DEFINITION_NOT_FOUND', `issuer "${participantId}" has no credential definition "${id}"`)
  }
}

function toDefinition(row: DefinitionRow): CredentialDefinition {
  return {
    id: row.id,
    credentialType: row.credential_type,
    profile: row.profile,
    validitySeconds: row.validity_seconds,
    claims: row.claims,
    subjectSchema: row.subject_schema,
    contexts: row.contexts,
    approval: row.approval,
    suspendable: row.suspendable,
    createdAt: row.created_at,
  }
}
