import { isDeepStrictEqual } from 'node:util'
import { tractusXDefinitions, type NewCredentialDefinition } from '../issuer/credential-definition.js'
import type { Participant } from '../participants/participant.js'
import type { Queryable } from '../storage/database.js'
import {
  deleteCredentialDefinition,
  insertCredentialDefinition,
  listCredentialDefinitions,
} from '../storage/issuer-definition-repository.js'
import {
  deleteIssuerHolder,
  insertIssuerHolder,
  listIssuerHolders,
  updateIssuerHolder,
} from '../storage/issuer-holder-repository.js'
import type { SeedChange } from './apply-seed.js'
import type { SeedCredentialDefinition, SeedParticipant } from './seed-schema.js'

/**
 * Brings an issuer's credential definitions and holder registry to what the seed lists, when it
 * lists them: missing ones are added, changed ones replaced, unlisted ones removed.
 */
export async function ensureIssuerData(
  tx: Queryable,
  participant: Participant,
  entry: SeedParticipant,
  changes: SeedChange[],
): Promise<void> {
  if (entry.credentialDefinitions !== undefined) {
    await ensureDefinitions(tx, participant.id, entry.credentialDefinitions.flatMap(expandDefinition), changes)
  }
  if (entry.holders !== undefined) await ensureHolders(tx, participant.id, entry, changes)
}

function expandDefinition(definition: SeedCredentialDefinition): NewCredentialDefinition[] {
  if (definition === 'tractus-x') return tractusXDefinitions()
  return [
    {
      id: definition.id,
      credentialType: definition.credentialType,
      profile: definition.profile ?? 'vc11-sl2021/jwt',
      validitySeconds: definition.validitySeconds ?? 365 * 86_400,
      claims: definition.claims ?? {},
      subjectSchema: null,
      contexts: [],
      approval: definition.approval ?? 'auto',
      suspendable: definition.suspendable ?? false,
    },
  ]
}

async function ensureDefinitions(
  tx: Queryable,
  participantId: string,
  wanted: NewCredentialDefinition[],
  changes: SeedChange[],
): Promise<void> {
  const existing = await listCredentialDefinitions(tx, participantId)
  for (const definition of existing) {
    const target = wanted.find((candidate) => candidate.id === definition.id)
    const { createdAt: createdAt, ...current } = definition
    if (target && isDeepStrictEqual(current, target)) continue
    await deleteCredentialDefinition(tx, participantId, definition.id)
    if (!target) changes.push({ participantId, description: `credential definition ${definition.id} removed` })
  }
  for (const definition of wanted) {
    const current = existing.find((candidate) => candidate.id === definition.id)
    if (current) {
      const { createdAt: createdAt, ...fields } = current
      if (isDeepStrictEqual(fields, definition)) continue
    }
    await insertCredentialDefinition(tx, participantId, definition)
    changes.push({ participantId, description: `credential definition ${definition.id} ${current ? 'changed' : 'added'}` })
  }
}

async function ensureHolders(tx: Queryable, participantId: string, entry: SeedParticipant, changes: SeedChange[]) {
  const wanted = (entry.holders ?? []).map((holder) => ({ ...holder, attributes: holder.attributes ?? {} }))
  const existing = await listIssuerHolders(tx, participantId)
  for (const holder of existing) {
    if (wanted.some((candidate) => candidate.did === holder.did)) continue
    await deleteIssuerHolder(tx, participantId, holder.id)
    changes.push({ participantId, description: `holder ${holder.did} removed` })
  }
  for (const holder of wanted) {
    const current = existing.find((candidate) => candidate.did === holder.did)
    if (!current) {
      await insertIssuerHolder(tx, participantId, holder)
      changes.push({ participantId, description: `holder ${holder.did} added` })
    } else if (current.name !== holder.name || !isDeepStrictEqual(current.attributes, holder.attributes)) {
      await updateIssuerHolder(tx, participantId, current.id, holder)
      changes.push({ participantId, description: `holder ${holder.did} changed` })
    }
  }
}
