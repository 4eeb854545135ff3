import type { JWK } from 'jose'
import type { KeyAlgorithm, KeyCustody, KeyState, KeyUsage, ParticipantKey } from '../keys/key.js'
import type { Queryable } from './database.js'

/** The stored private part of a key: ciphertext for local and kms-envelope, a KMS key ARN for aws-kms. */
export interface KeyMaterial {
  privateKeyCiphertext: Buffer | null
  kmsKeyId: string | null
}

export interface NewKey extends KeyMaterial {
  id: string
  participantId: string
  fragment: string
  algorithm: KeyAlgorithm
  usages: KeyUsage[]
  custody: KeyCustody
  publicJwk: JWK
}

/** A key with its material, as the signer loads it. */
export interface StoredKey extends ParticipantKey {
  material: KeyMaterial
}

interface KeyRow extends Record<string, unknown> {
  id: string
  participant_id: string
  fragment: string
  algorithm: KeyAlgorithm
  usages: KeyUsage[]
  custody: KeyCustody
  state: KeyState
  public_jwk: JWK
  private_key_ciphertext: Uint8Array | null
  kms_key_id: string | null
  created_at: Date
  rotated_at: Date | null
  revoked_at: Date | null
  default_for: KeyUsage[] | null
}

const columns = `k.id, k.participant_id, k.fragment, k.algorithm, k.usages, k.custody, k.state, k.public_jwk,
  k.private_key_ciphertext, k.kms_key_id, k.created_at, k.rotated_at, k.revoked_at,
  ARRAY(SELECT d.usage FROM participant_default_keys d WHERE d.key_id = k.id ORDER BY d.usage) AS default_for`

export async function insertKey(db: Queryable, key: NewKey): Promise<void> {
  await db.query(
    `INSERT INTO participant_keys
       (id, participant_id, fragment, algorithm, usages, custody, public_jwk, private_key_ciphertext, kms_key_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
    [
      key.id,
      key.participantId,
      key.fragment,
      key.algorithm,
      key.usages,
      key.custody,
      JSON.stringify(key.publicJwk),
      key.privateKeyCiphertext,
      key.kmsKeyId,
    ],
  )
}

/** Reads one key; `forUpdate` locks its row until the transaction ends, so two rotations serialize. */
export async function findKey(
  db: Queryable,
  participantId: string,
  keyId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredKey | undefined> {
  const lock = options.forUpdate ? 'FOR UPDATE OF k' : ''
  const result = await db.query<KeyRow>(
    `SELECT ${columns} FROM participant_keys k WHERE k.participant_id = $1 AND k.id = $2 ${lock}`,
    [participantId, keyId],
  )
  return result.rows[0] && toStoredKey(result.rows[0])
}

/** Lists keys oldest first; revoked ones only when asked. */
export async function listKeys(
  db: Queryable,
  participantId: string,
  options: { includeRevoked?: boolean } = {},
): Promise<ParticipantKey[]> {
  const filter = options.includeRevoked ? '' : "AND k.state <> 'revoked'"
  const result = await db.query<KeyRow>(
    `SELECT ${columns} FROM participant_keys k WHERE k.participant_id = $1 ${filter} ORDER BY k.created_at, k.id`,
    [participantId],
  )
  return result.rows.map((row) => withoutMaterial(toStoredKey(row)))
}

export async function findDefaultKey(
  db: Queryable,
  participantId: string,
  usage: KeyUsage,
): Promise<ParticipantKey | undefined> {
  const result = await db.query<KeyRow>(
    `SELECT ${columns} FROM participant_default_keys dk JOIN participant_keys k ON k.id = dk.key_id
     WHERE dk.participant_id = $1 AND dk.usage = $2`,
    [participantId, usage],
  )
  return result.rows[0] && withoutMaterial(toStoredKey(result.rows[0]))
}

/** Finds the id of the participant with this DID, or undefined. */
export async function findParticipantIdByDid(db: Queryable, did: string): Promise<string | undefined> {
  const result = await db.query<{ id: string }>('SELECT id FROM participants WHERE did = $1', [did])
  return result.rows[0]?.id
}

/** Makes the key the default for each of the usages, replacing the current defaults. */
export async function setDefaultKey(
  db: Queryable,
  participantId: string,
  keyId: string,
  usages: readonly KeyUsage[],
): Promise<void> {
  await db.query(
    `INSERT INTO participant_default_keys (participant_id, usage, key_id)
     SELECT $1, usage, $2 FROM unnest($3::text[]) AS usage
     ON CONFLICT (participant_id, usage) DO UPDATE SET key_id = EXCLUDED.key_id`,
    [participantId, keyId, usages],
  )
}

/**
 * Gives each of the usages that has no default the newest active key with that usage, so a
 * revocation leaves a default wherever another key can take over.
 */
export async function fillMissingDefaults(db: Queryable, participantId: string, usages: readonly KeyUsage[]) {
  await db.query(
    `INSERT INTO participant_default_keys (participant_id, usage, key_id)
     SELECT $1, u.usage, (
       SELECT k.id FROM participant_keys k
       WHERE k.participant_id = $1 AND k.state = 'active' AND u.usage = ANY (k.usages)
       ORDER BY k.created_at DESC, k.id DESC LIMIT 1
     )
     FROM unnest($2::text[]) AS u(usage)
     WHERE EXISTS (
       SELECT 1 FROM participant_keys k
       WHERE k.participant_id = $1 AND k.state = 'active' AND u.usage = ANY (k.usages)
     )
     ON CONFLICT (participant_id, usage) DO NOTHING`,
    [participantId, usages],
  )
}

export async function markKeyRotated(db: Queryable, keyId: string, replacedBy: string): Promise<void> {
  await db.query(
    `UPDATE participant_keys SET state = 'rotated', rotated_at = now(), replaced_by = $2 WHERE id = $1`,
    [keyId, replacedBy],
  )
  await db.query('DELETE FROM participant_default_keys WHERE key_id = $1', [keyId])
}

/** Marks the key revoked, erases its encrypted private key and drops its defaults. */
export async function markKeyRevoked(db: Queryable, keyId: string): Promise<void> {
  await db.query(
    `UPDATE participant_keys SET state = 'revoked', revoked_at = now(), private_key_ciphertext = NULL WHERE id = $1`,
    [keyId],
  )
  await db.query('DELETE FROM participant_default_keys WHERE key_id = $1', [keyId])
}

/** Reads a key with its material by id alone, for loading a signer. */
export async function findKeyById(db: Queryable, keyId: string): Promise<StoredKey | undefined> {
  const result = await db.query<KeyRow>(`SELECT ${columns} FROM participant_keys k WHERE k.id = $1`, [keyId])
  return result.rows[0] && toStoredKey(result.rows[0])
}

/** Lists the keys whose private part can be loaded into memory ahead of use: the current defaults. */
export async function listDefaultKeyIds(db: Queryable): Promise<string[]> {
  const result = await db.query<{ key_id: string }>(
    `SELECT DISTINCT dk.key_id FROM participant_default_keys dk
     JOIN participants p ON p.id = dk.participant_id WHERE p.state = 'active'`,
  )
  return result.rows.map((row) => row.key_id)
}

export function withoutMaterial(key: StoredKey): ParticipantKey {
  const { id, participantId, fragment, algorithm, usages, custody, state, defaultFor, publicJwk } = key
  const { createdAt, rotatedAt, revokedAt } = key
  return { id, participantId, fragment, algorithm, usages, custody, state, defaultFor, publicJwk, createdAt, rotatedAt, revokedAt }
}

function toStoredKey(row: KeyRow): StoredKey {
  return {
    id: row.id,
    participantId: row.participant_id,
    fragment: row.fragment,
    algorithm: row.algorithm,
    usages: row.usages,
    custody: row.custody,
    state: row.state,
    defaultFor: row.default_for ?? [],
    publicJwk: row.public_jwk,
    createdAt: row.created_at,
    rotatedAt: row.rotated_at,
    revokedAt: row.revoked_at,
    material: {
      privateKeyCiphertext: row.private_key_ciphertext === null ? null : Buffer.from(row.private_key_ciphertext),
      kmsKeyId: row.kms_key_id,
    },
  }
}
