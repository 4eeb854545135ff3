import { ensureAccessPolicies } from './apply-access-policies.js'
import { readFileSync } from 'node:fs'
import type { KeyManager } from '../keys/key-manager.js'
import type { KeyUsage, ParticipantKey } from '../keys/key.js'
import type { Logger } from '../observability/logger.js'
import { digest, secretMatches } from '../participants/api-key-secret.js'
import type { Participant } from '../participants/participant.js'
import { insertAuditEvent } from '../storage/audit-repository.js'
import { listKeys } from '../storage/key-repository.js'
import type { Database, Queryable } from '../storage/database.js'
import { deleteDidService, insertDidService, listDidServices } from '../storage/did-service-repository.js'
import { findParticipant, insertParticipant, updateParticipant } from '../storage/participant-repository.js'
import { findStsClientCredential, getStsClient, insertStsClient, replaceStsClientSecret } from '../storage/sts-client-repository.js'
import { deleteTrustedIssuer, listTrustedIssuers, upsertTrustedIssuer } from '../storage/trusted-issuer-repository.js'
import { generateClientSecret } from '../sts/client-secret.js'
import { ensureIssuerData } from './apply-issuer-seed.js'
import { ensureCredentialRequests } from './apply-credential-request-seed.js'
import { SeedError } from './load-seed.js'
import type { SeedDocument, SeedKey, SeedParticipant } from './seed-schema.js'

/** One change a seed made, such as "key key-1 created for sign_token". */
export interface SeedChange {
  participantId: string
  description: string
}

export interface SeedOptions {
  db: Database
  keyManager: KeyManager
  logger: Logger
}

/**
 * Applies a seed in one transaction: creates missing participants and everything the file lists
 * for them, changes what differs, removes services and trusted issuers the file no longer lists,
 * and returns one line per change. Keys are only added, never revoked, because a key that
 * signed credentials must stay until an operator revokes it. Each change is audited as `seed`.
 */
export async function applySeed(seed: SeedDocument, options: SeedOptions): Promise<SeedChange[]> {
  const secrets = readSecrets(seed)
  return options.db.transaction(async (tx) => {
    const changes: SeedChange[] = []
    for (const [index, entry] of seed.participants.entries()) {
      const participant = await ensureParticipant(tx, entry, changes)
      await ensureStsClient(tx, participant, entry, secrets.get(entry.id), changes)
      await ensureKeys(tx, options.keyManager, participant, entry, changes)
      await ensureServices(tx, participant, entry, changes)
      await ensureTrustedIssuers(tx, participant, entry, changes)
      await ensureAccessPolicies(tx, participant, entry, changes)
      await ensureIssuerData(tx, participant, entry, changes)
      await ensureCredentialRequests(tx, participant, entry, index, changes)
    }
    for (const change of changes) {
      await insertAuditEvent(tx, {
        actor: 'seed',
        action: 'seed.apply',
        target: `participant:${change.participantId}`,
        participantId: change.participantId,
        outcome: 'success',
        errorCode: null,
        requestId: null,
        detail: { change: change.description },
      })
    }
    options.logger.info({ changes: changes.length }, 'seed applied')
    return changes
  })
}

function readSecrets(seed: SeedDocument): Map<string, string> {
  const secrets = new Map<string, string>()
  seed.participants.forEach((entry, index) => {
    const file = entry.sts?.clientSecretFile
    if (file === undefined) return
    let secret: string
    try {
      secret = readFileSync(file, 'utf8').trim()
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'read failed'
      throw new SeedError(`cannot read "participants.${index}.sts.clientSecretFile" "${file}": ${reason}`)
    }
    if (secret.length < 32) {
      throw new SeedError(`the secret in "participants.${index}.sts.clientSecretFile" has ${secret.length} characters; expected at least 32`)
    }
    secrets.set(entry.id, secret)
  })
  return secrets
}

async function ensureParticipant(tx: Queryable, entry: SeedParticipant, changes: SeedChange[]): Promise<Participant> {
  const displayName = entry.displayName ?? entry.id
  const existing = await findParticipant(tx, entry.id)
  if (!existing) {
    changes.push({ participantId: entry.id, description: `created with DID ${entry.did}` })
    return insertParticipant(tx, { id: entry.id, did: entry.did, displayName, roles: entry.roles })
  }
  if (existing.did !== entry.did) {
    throw new SeedError(`participant "${entry.id}" has DID "${existing.did}"; a seed cannot change a DID to "${entry.did}"`)
  }
  const sameRoles = [...existing.roles].sort().join() === [...new Set(entry.roles)].sort().join()
  if (existing.displayName === displayName && sameRoles) return existing
  changes.push({ participantId: entry.id, description: `display name or roles changed` })
  return updateParticipant(tx, entry.id, { displayName, roles: entry.roles })
}

async function ensureStsClient(
  tx: Queryable,
  participant: Participant,
  entry: SeedParticipant,
  secret: string | undefined,
  changes: SeedChange[],
): Promise<void> {
  const clientId = entry.sts?.clientId ?? participant.did
  const existing = await getStsClient(tx, participant.id).catch(() => undefined)
  if (!existing) {
    await insertStsClient(tx, { participantId: participant.id, clientId, secretHash: digest(secret ?? generateClientSecret()) })
    changes.push({ participantId: participant.id, description: `STS client ${clientId} created` })
    return
  }
  if (existing.clientId !== clientId) {
    throw new SeedError(`participant "${participant.id}" has STS client id "${existing.clientId}"; a seed cannot change it`)
  }
  if (secret === undefined) return
  const credential = await findStsClientCredential(tx, clientId)
  if (credential && secretMatches(secret, credential.secretHash)) return
  await replaceStsClientSecret(tx, participant.id, digest(secret))
  changes.push({ participantId: participant.id, description: `STS client secret replaced from its file` })
}

async function ensureKeys(
  tx: Queryable,
  keyManager: KeyManager,
  participant: Participant,
  entry: SeedParticipant,
  changes: SeedChange[],
): Promise<void> {
  const wanted = entry.keys ?? [{ usages: usagesFor(participant) }]
  // The key repository reads inside this transaction; the key manager would open another session.
  const existing = (await listKeys(tx, participant.id)).filter((key) => key.state === 'active')
  const unmatched = [...existing]
  for (const spec of wanted) {
    const index = unmatched.findIndex((key) => matches(key, spec))
    if (index >= 0) {
      unmatched.splice(index, 1)
      continue
    }
    const key = await keyManager.create(
      participant.id,
      { usages: spec.usages, ...(spec.algorithm ? { algorithm: spec.algorithm } : {}), ...(spec.custody ? { custody: spec.custody } : {}) },
      { transaction: (work) => work(tx) },
    )
    changes.push({ participantId: participant.id, description: `key ${key.fragment} created for ${spec.usages.join(', ')}` })
  }
}

function matches(key: ParticipantKey, spec: SeedKey): boolean {
  const sameUsages = [...key.usages].sort().join() === [...spec.usages].sort().join()
  return sameUsages && (spec.algorithm ?? 'ES256') === key.algorithm && (spec.custody === undefined || spec.custody === key.custody)
}

function usagesFor(participant: Participant): KeyUsage[] {
  const usages: KeyUsage[] = ['sign_token']
  if (participant.roles.includes('holder')) usages.push('sign_presentation')
  if (participant.roles.includes('issuer')) usages.push('sign_credentials')
  return usages
}

async function ensureServices(tx: Queryable, participant: Participant, entry: SeedParticipant, changes: SeedChange[]) {
  if (entry.services === undefined) return
  const existing = await listDidServices(tx, participant.id)
  for (const service of existing) {
    const wanted = entry.services.find((candidate) => candidate.id === service.id)
    if (wanted && wanted.type === service.type && wanted.serviceEndpoint === service.serviceEndpoint) continue
    await deleteDidService(tx, participant.id, service.id)
    if (!wanted) changes.push({ participantId: participant.id, description: `service ${service.id} removed` })
  }
  for (const service of entry.services) {
    const current = existing.find((candidate) => candidate.id === service.id)
    if (current && current.type === service.type && current.serviceEndpoint === service.serviceEndpoint) continue
    await insertDidService(tx, participant.id, service)
    changes.push({ participantId: participant.id, description: `service ${service.id} ${current ? 'changed' : 'added'}` })
  }
}

async function ensureTrustedIssuers(tx: Queryable, participant: Participant, entry: SeedParticipant, changes: SeedChange[]) {
  if (entry.trustedIssuers === undefined) return
  const wanted = entry.trustedIssuers.map((issuer) =>
    typeof issuer === 'string'
      ? { did: issuer, credentialTypes: [], relaxedDataModel: false }
      : { did: issuer.did, credentialTypes: issuer.credentialTypes ?? [], relaxedDataModel: issuer.relaxedDataModel ?? false },
  )
  const existing = await listTrustedIssuers(tx, participant.id)
  for (const issuer of existing) {
    if (wanted.some((candidate) => candidate.did === issuer.issuerDid)) continue
    await deleteTrustedIssuer(tx, participant.id, issuer.issuerDid)
    changes.push({ participantId: participant.id, description: `trusted issuer ${issuer.issuerDid} removed` })
  }
  for (const issuer of wanted) {
    const current = existing.find((candidate) => candidate.issuerDid === issuer.did)
    const types = [...new Set(issuer.credentialTypes)].sort()
    const unchanged = [...(current?.credentialTypes ?? [])].sort().join() === types.join() && current?.relaxedDataModel === issuer.relaxedDataModel
    if (current && unchanged) continue
    await upsertTrustedIssuer(tx, {
      participantId: participant.id,
      issuerDid: issuer.did,
      credentialTypes: types,
      relaxedDataModel: issuer.relaxedDataModel,
    })
    changes.push({ participantId: participant.id, description: `trusted issuer ${issuer.did} ${current ? 'changed' : 'added'}` })
  }
}
