import type { Queryable } from './database.js'

/** An issuer whose credentials a participant accepts without having requested them. */
export interface TrustedIssuer {
  participantId: string
  issuerDid: string
  /** Credential types admitted from this issuer; empty admits every type. */
  credentialTypes: string[]
  createdAt: Date
}

interface TrustedIssuerRow extends Record<string, unknown> {
  participant_id: string
  issuer_did: string
  credential_types: string[]
  created_at: Date
}

export async function upsertTrustedIssuer(
  db: Queryable,
  input: { participantId: string; issuerDid: string; credentialTypes: string[] },
): Promise<TrustedIssuer> {
  const result = await db.query<TrustedIssuerRow>(
    `INSERT INTO trusted_issuers (participant_id, issuer_did, credential_types) VALUES ($1, $2, $3)
     ON CONFLICT (participant_id, issuer_did) DO UPDATE SET credential_types = EXCLUDED.credential_types
     RETURNING participant_id, issuer_did, credential_types, created_at`,
    [input.participantId, input.issuerDid, [...new Set(input.credentialTypes)]],
  )
  return toTrustedIssuer(result.rows[0]!)
}

export async function listTrustedIssuers(db: Queryable, participantId: string): Promise<TrustedIssuer[]> {
  const result = await db.query<TrustedIssuerRow>(
    `SELECT participant_id, issuer_did, credential_types, created_at FROM trusted_issuers
     WHERE participant_id = $1 ORDER BY issuer_did`,
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

/** Tells whether the participant admits credentials of all these types from the issuer. */
export async function isTrustedIssuer(
  db: Queryable,
  participantId: string,
  issuerDid: string,
  types: readonly string[],
): Promise<boolean> {
  const result = await db.query<{ credential_types: string[] }>(
    'SELECT credential_types FROM trusted_issuers WHERE participant_id = $1 AND issuer_did = $2',
    [participantId, issuerDid],
  )
  const admitted = result.rows[0]?.credential_types
  if (admitted === undefined) return false
  return admitted.length === 0 || types.every((type) => type === 'VerifiableCredential' || admitted.includes(type))
}

function toTrustedIssuer(row: TrustedIssuerRow): TrustedIssuer {
  return {
    participantId: row.participant_id,
    issuerDid: row.issuer_did,
    credentialTypes: row.credential_types,
    createdAt: row.created_at,
  }
}
