import type { Logger } from '../observability/logger.js'
import { insertRenewalRequest, listRenewalCandidates } from '../storage/credential-request-repository.js'
import type { Queryable } from '../storage/database.js'

const batchSize = 100

/**
 * Records a renewal request for every stored credential that came from a credential request and
 * expires within `beforeSeconds`. The request names the same issuer and the credential's type,
 * and the request task sends it. A credential gets at most one renewal, also across replicas,
 * because the insert is conditional on a unique index. Returns how many requests were created.
 */
export async function renewExpiringCredentials(db: Queryable, beforeSeconds: number, logger: Logger): Promise<number> {
  const candidates = await listRenewalCandidates(db, new Date(Date.now() + beforeSeconds * 1000), batchSize)
  let created = 0
  for (const candidate of candidates) {
    const request = await insertRenewalRequest(db, {
      participantId: candidate.participantId,
      issuerDid: candidate.issuerDid,
      credentialTypes: [renewalTypeOf(candidate.types)],
      renewsCredentialId: candidate.credentialId,
    })
    if (!request) continue
    created += 1
    logger.info(
      { participantId: candidate.participantId, credentialId: candidate.credentialId, requestId: request.id, validUntil: candidate.validUntil },
      'credential renewal requested',
    )
  }
  return created
}

/**
 * Returns the type to request again: the last type other than VerifiableCredential, which by VC data
 * model convention is the specific one.
 * NOTE: a credential with several specific types is renewed by its last type only.
 */
function renewalTypeOf(types: readonly string[]): string {
  const specific = types.filter((type) => type !== 'VerifiableCredential')
  return specific.at(-1) ?? 'VerifiableCredential'
}
