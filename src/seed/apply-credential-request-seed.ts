import { randomUUID } from 'node:crypto'
import type { Participant } from '../participants/participant.js'
import { hasLiveCredentialRequest, insertCredentialRequest } from '../storage/credential-request-repository.js'
import type { Queryable } from '../storage/database.js'
import type { SeedChange } from './apply-seed.js'
import { SeedError } from './load-seed.js'
import type { SeedParticipant } from './seed-schema.js'

/**
 * Records the seed's credential requests of a holder that has no pending, requested or issued
 * request to the same issuer for the same types or ids. The requests are only stored, as
 * `pending`, and the background task sends them, so a start does not wait for an issuer that is
 * not reachable yet.
 */
export async function ensureCredentialRequests(
  tx: Queryable,
  participant: Participant,
  entry: SeedParticipant,
  index: number,
  changes: SeedChange[],
): Promise<void> {
  const requests = entry.credentialRequests ?? []
  if (requests.length > 0 && !participant.roles.includes('holder')) {
    throw new SeedError(`"participants.${index}.credentialRequests" needs the holder role in "participants.${index}.roles"`)
  }
  for (const [position, request] of requests.entries()) {
    const field = `participants.${index}.credentialRequests.${position}`
    if ((request.credentialTypes === undefined) === (request.credentials === undefined)) {
      throw new SeedError(`"${field}" must have exactly one of "credentialTypes" and "credentials"`)
    }
    const newRequest = {
      participantId: participant.id,
      issuerDid: request.issuerDid,
      credentialTypes: [...new Set(request.credentialTypes ?? [])],
      credentialObjectIds: [...new Set((request.credentials ?? []).map((credential) => credential.id))],
    }
    if (await hasLiveCredentialRequest(tx, newRequest)) continue
    await insertCredentialRequest(tx, { ...newRequest, holderPid: randomUUID(), state: 'pending' })
    const credentialList = newRequest.credentialTypes.length > 0 ? `types ${newRequest.credentialTypes.join(', ')}` : `ids ${newRequest.credentialObjectIds.join(', ')}`
    changes.push({ participantId: participant.id, description: `credential request to ${request.issuerDid} for ${credentialList} recorded` })
  }
}
