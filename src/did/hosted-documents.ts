import type { DIDDocument } from 'did-resolver'
import { AppError, NotFoundError } from '../errors/app-error.js'
import type { Database } from '../storage/database.js'
import { listDidServices } from '../storage/did-service-repository.js'
import { listKeys } from '../storage/key-repository.js'
import { findParticipantByDid, listActiveParticipantsByDidPath } from '../storage/participant-repository.js'
import { buildDidDocument, type DidDocument } from './document.js'

/**
 * Loads the document of the active participant whose DID has the did:web path `didPath`.
 * Deactivated participants have no document, so verifiers reject what they signed. Two active
 * participants with one path (two host DIDs, or one path under two host names) cannot be told
 * apart without the Host header, which never selects a document, so that is a configuration
 * error (ERR_HOSTED_DID_AMBIGUOUS) instead of a guess.
 */
export async function loadHostedDocument(db: Database, publicBaseUrl: string, didPath: string): Promise<DidDocument> {
  const participants = await listActiveParticipantsByDidPath(db, didPath)
  if (participants.length === 0) {
    // didPath is in DID form (":companyx"); the message names the URL path that was requested.
    const urlPath = didPath === '' ? '/.well-known/did.json' : `${didPath.replaceAll(':', '/')}/did.json`
    throw new NotFoundError('ERR_HOSTED_DID_NOT_FOUND', `no active participant has a DID document at ${urlPath}`)
  }
  if (participants.length > 1) {
    const dids = participants.map((participant) => participant.did).join(', ')
    throw new AppError('ERR_HOSTED_DID_AMBIGUOUS', `several participants share one did:web path: ${dids}`)
  }
  const participant = participants[0]!
  const [keys, services] = await Promise.all([listKeys(db, participant.id), listDidServices(db, participant.id)])
  return buildDidDocument({ participant, keys, services, publicBaseUrl })
}

/**
 * Builds the document of a DID this process hosts, for in-process resolution; undefined for a
 * DID of another party or of a deactivated participant.
 */
export async function loadHostedDocumentOfDid(db: Database, publicBaseUrl: string, did: string): Promise<DIDDocument | undefined> {
  const participant = await findParticipantByDid(db, did)
  if (!participant || participant.state !== 'active') return undefined
  const [keys, services] = await Promise.all([listKeys(db, participant.id), listDidServices(db, participant.id)])
  // The JWKs of generated keys always carry "kty", which the did-resolver type requires.
  return buildDidDocument({ participant, keys, services, publicBaseUrl }) as DIDDocument
}
