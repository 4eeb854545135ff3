import { randomUUID } from 'node:crypto'
import type { Queryable } from './database.js'

/** A CredentialOfferMessage received from an issuer. */
export interface StoredCredentialOffer {
  id: string
  participantId: string
  issuerDid: string
  /** The `CredentialObject` entries as received; sparse entries carry only `id`. */
  credentials: Record<string, unknown>[]
  receivedAt: Date
}

interface OfferRow extends Record<string, unknown> {
  id: string
  participant_id: string
  issuer_did: string
  credentials: Record<string, unknown>[]
  received_at: Date
}

const columns = 'id, participant_id, issuer_did, credentials, received_at'

export async function insertCredentialOffer(
  db: Queryable,
  input: { participantId: string; issuerDid: string; credentials: Record<string, unknown>[] },
): Promise<StoredCredentialOffer> {
  const result = await db.query<OfferRow>(
    `INSERT INTO credential_offers (id, participant_id, issuer_did, credentials) VALUES ($1, $2, $3, $4::jsonb)
     RETURNING ${columns}`,
    [randomUUID(), input.participantId, input.issuerDid, JSON.stringify(input.credentials)],
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

function toOffer(row: OfferRow): StoredCredentialOffer {
  return {
    id: row.id,
    participantId: row.participant_id,
    issuerDid: row.issuer_did,
    credentials: row.credentials,
    receivedAt: row.received_at,
  }
}
