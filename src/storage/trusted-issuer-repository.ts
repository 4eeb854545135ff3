import type { Queryable } from './database.js'

/** An issuer whose credentials a participant accepts without having requested them. */
export interface TrustedIssuer {
  participantId: string
  issuerDid: string
  /** Credential types admitted from this issuer; empty admits every type. */
  credentialTypes: string[]
  /**
   * Admits credentials whose `type` lacks `VerifiableCredential` or whose JWT `sub` is not the
   * holder, as long as `credentialSubject.id` is. Signature, issuer and dates are still checked.
   */
  relaxedDataModel: boolean
  createdAt: Date
}

interface TrustedIssuerRow extends Record<string, unknown> {
  participant_id: string
  issuer_did: string
  credential_types: string[]
  relaxed_data_model: boolean
  created_at: Date
}

const columns = 'participant_id, issuer_did, credential_types, relaxed_data_model, created_at'

export async function upsertTrustedIssuer(
  db: Queryable,
  input: { participantId: string; issuerDid: string; credentialTypes: string[]; relaxedDataModel?: boolean },
): Promise<TrustedIssuer> {
  const result = await db.query<TrustedIssuerRow>(
    `INSERT INTO trusted_issuers (participant_id, issuer_did, credential_types, relaxed_data_model) VALUES ($1, $2, $3, $4)
     ON CONFLICT (participant_id, issuer_did) DO UPDATE
       SET credential_types = EXCLUDED.credential_types, relaxed_data_model = EXCLUDED.relaxed_data_model
     RETURNING ${columns}`,
    [input.participantId, input.issuerDid, [...new Set(input.credentialTypes)], input.relaxedDataModel ?? false],
  )
  return toTrustedIssuer(result.rows[0]!)
}

export async function listTrustedIssuers(db: Queryable, participantId: string): Promise<TrustedIssuer[]> {
  const result = await db.query<TrustedIssuerRow>(
    `SELECT ${columns} FROM trusted_issuers WHERE participant_id = $1 ORDER BY issuer_did`,
    [participantId],
  )
  return result.rows.map(toTrustedIssuer)
}

export async function deleteTrustedIssuer(db: Queryable, participantId: string, issuerDid: string): Promise<boolean> {
  const result = await db.query('DELETE FROM trusted_issuers WHERE participant_id = $1 AND issuer_did = $2', [
    participantId,
    issuerDid,
  ])
  return result.rowCount === 1
}

export async function findTrustedIssuer(
  db: Queryable,
  participantId: string,
  issuerDid: string,
): Promise<TrustedIssuer | undefined> {
  const result = await db.query<TrustedIssuerRow>(
    `SELECT ${columns} FROM trusted_issuers WHERE participant_id = $1 AND issuer_did = $2`,
    [participantId, issuerDid],
  )
  return result.rows[0] && toTrustedIssuer(result.rows[0])
}

/** Tells whether the participant admits credentials of all these types from the issuer. */
export async function isTrustedIssuer(
  db: Queryable,
  participantId: string,
  issuerDid: string,
  types: readonly string[],
): Promise<boolean> {
  const trusted = await findTrustedIssuer(db, participantId, issuerDid)
  return trusted !== undefined && admitsTypes(trusted, types)
}

/** Tells whether a trusted issuer entry admits credentials of all these types. */
export function admitsTypes(trusted: TrustedIssuer, types: readonly string[]): boolean {
  const admitted = trusted.credentialTypes
  return admitted.length === 0 || types.every((type) => type === 'VerifiableCredential' || admitted.includes(type))
}

function toTrustedIssuer(row: TrustedIssuerRow): TrustedIssuer {
  return {
    participantId: row.participant_id,
    issuerDid: row.issuer_did,
    credentialTypes: row.credential_types,
    relaxedDataModel: row.relaxed_data_model,
    createdAt: row.created_at,
  }
}
