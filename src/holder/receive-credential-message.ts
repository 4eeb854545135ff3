import type { ParsedCredential } from '../credentials/parsed-credential.js'
import type { CredentialMessage } from '../dcp/credential-message.js'
import { AppError } from '../errors/app-error.js'
import { insertCredential, type StoredCredential } from '../storage/credential-repository.js'
import {
  findCredentialRequest,
  linkCredentialsToRequest,
  updateCredentialRequestState,
  type CredentialRequest,
} from '../storage/credential-request-repository.js'
import type { Database } from '../storage/database.js'
import { admitsTypes, findTrustedIssuer, type TrustedIssuer } from '../storage/trusted-issuer-repository.js'
import { verifyReceivedCredential, type CredentialIntake } from './credential-intake.js'

export interface Holder {
  participantId: string
  did: string
}

/** Why a message was admitted: it matches a request, or its sender is a trusted issuer. */
interface Admission {
  request: CredentialRequest | undefined
  trusted: TrustedIssuer | undefined
}

export interface ReceivedMessage {
  /** Credentials of the message as stored; a credential delivered before is returned unchanged. */
  stored: StoredCredential[]
  /** The request the message matched, if any. */
  requestId: string | undefined
}

/**
 * Processes a `CredentialMessage` from `senderDid`, the authenticated signer of its SI token. The
 * message is admitted when its `holderPid` names a request this holder sent to the sender, or when
 * the holder trusts the sender for unsolicited delivery. Every credential is verified before any
 * is stored, and all are stored in one transaction, so a message is taken whole or not at all.
 */
export async function receiveCredentialMessage(
  db: Database,
  intake: CredentialIntake,
  holder: Holder,
  senderDid: string,
  message: CredentialMessage,
): Promise<ReceivedMessage> {
  const admission = await admit(db, holder, senderDid, message)

  if (message.status === 'REJECTED') {
    if (admission.request) {
      await updateCredentialRequestState(db, admission.request.id, {
        state: 'rejected',
        issuerPid: message.issuerPid,
        rejectionReason: message.rejectionReason,
      })
    }
    return { stored: [], requestId: admission.request?.id }
  }

  const credentials = await verifyAll(intake, holder, senderDid, message, admission)
  const stored = await db.transaction(async (tx) => {
    const rows: StoredCredential[] = []
    for (const credential of credentials) {
      rows.push(await insertCredential(tx, {
        participantId: holder.participantId,
        credential,
        issuerPid: message.issuerPid,
        holderPid: message.holderPid,
      }))
    }
    if (admission.request) {
      await updateCredentialRequestState(tx, admission.request.id, { state: 'issued', issuerPid: message.issuerPid })
      await linkCredentialsToRequest(tx, admission.request.id, rows.map((row) => row.id))
    }
    return rows
  })
  return { stored, requestId: admission.request?.id }
}

async function admit(db: Database, holder: Holder, senderDid: string, message: CredentialMessage): Promise<Admission> {
  const [request, trusted] = await Promise.all([
    findCredentialRequest(db, holder.participantId, message.holderPid),
    findTrustedIssuer(db, holder.participantId, senderDid),
  ])
  // A request admits only messages from the issuer it was sent to, and a rejected request is closed.
  const answersRequest = request !== undefined && request.issuerDid === senderDid && request.state !== 'rejected'
  if (answersRequest) return { request, trusted }
  if (trusted) return { request: undefined, trusted }
  throw new AppError(
    'ERR_CREDENTIAL_MESSAGE_UNSOLICITED',
    `"holderPid" ${JSON.stringify(message.holderPid)} names no open request of this holder to ${JSON.stringify(senderDid)}, and that issuer is not trusted for unsolicited delivery`,
  )
}

async function verifyAll(
  intake: CredentialIntake,
  holder: Holder,
  senderDid: string,
  message: CredentialMessage,
  admission: Admission,
): Promise<ParsedCredential[]> {
  const verified: ParsedCredential[] = []
  for (const [index, container] of message.credentials.entries()) {
    const credential = await verifyReceivedCredential(intake, container.payload, {
      holderDid: holder.did,
      relaxedDataModel: admission.trusted?.relaxedDataModel ?? false,
      expectedIssuer: senderDid,
      expectedType: container.credentialType,
    }).catch((error: unknown) => {
      if (error instanceof AppError) throw new AppError(error.code, `credentials[${index}]: ${error.message}`)
      throw error
    })
    // Unsolicited credentials are limited to the types the holder trusts this issuer for.
    if (!admission.request && admission.trusted && !admitsTypes(admission.trusted, credential.types)) {
      throw new AppError(
        'ERR_CREDENTIAL_TYPE_NOT_TRUSTED',
        `credentials[${index}]: ${JSON.stringify(senderDid)} is not trusted for credentials of type ${JSON.stringify(credential.types)}`,
      )
    }
    verified.push(credential)
  }
  return verified
}
