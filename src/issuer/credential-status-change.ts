import { ConflictError } from '../errors/app-error.js'
import type { Queryable } from '../storage/database.js'
import {
  lockIssuedCredential,
  updateIssuedCredentialStatus,
  type IssuedCredential,
} from '../storage/issued-credential-repository.js'
import { setStatusFlag } from '../storage/status-list-repository.js'

export type StatusAction = 'revoke' | 'suspend' | 'resume'

/**
 * Revokes, suspends or resumes an issued credential by flipping its bit in the status list,
 * which is then signed again on its next read. Revocation is permanent; only a credential whose
 * definition was suspendable at issuance has a suspension entry. Run it in a transaction.
 */
export async function changeCredentialStatus(
  tx: Queryable,
  participantId: string,
  credentialId: string,
  action: StatusAction,
): Promise<IssuedCredential> {
  const credential = await lockIssuedCredential(tx, participantId, credentialId)
  if (credential.status === 'revoked') throw stateError(credential, action, 'it is revoked')

  if (action === 'revoke') {
    await setStatusFlag(tx, credential.revocation, true)
    await updateIssuedCredentialStatus(tx, credential.id, 'revoked')
    return { ...credential, status: 'revoked' }
  }
  if (credential.suspension === null) throw stateError(credential, action, 'it has no suspension status entry')
  if (action === 'suspend') {
    if (credential.status === 'suspended') throw stateError(credential, action, 'it is already suspended')
    await setStatusFlag(tx, credential.suspension, true)
    await updateIssuedCredentialStatus(tx, credential.id, 'suspended')
    return { ...credential, status: 'suspended' }
  }
  if (credential.status !== 'suspended') throw stateError(credential, action, 'it is not suspended')
  await setStatusFlag(tx, credential.suspension, false)
  await updateIssuedCredentialStatus(tx, credential.id, 'active')
  return { ...credential, status: 'active' }
}

function stateError(credential: IssuedCredential, action: StatusAction, reason: string): ConflictError {
  return new ConflictError('ERR_ISSUER_CREDENTIAL_STATE', `cannot ${action} credential "${credential.id}": ${reason}`)
}
