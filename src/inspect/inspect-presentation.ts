import type { JWTPayload } from 'jose'
import { purposeOf } from '../did/verification-method.js'
import { audienceContains, decodeJwtParts, requireStringClaim } from '../tokens/decode-jwt.js'
import type { InspectContext } from './inspect-context.js'
import { inspectCredential } from './inspect-credential.js'
import { inspectSignature } from './inspect-signature.js'
import { inspectTimes } from './inspect-token.js'
import { CheckList, type Inspection } from './inspection.js'

const presentationName = 'the presentation'

/**
 * Inspects a VP JWT: holder `iss`, audience, time claims, the holder's `authentication` key and
 * signature, then every credential in `vp.verifiableCredential` with the holder as subject.
 */
export async function inspectPresentation(raw: string, context: InspectContext): Promise<Inspection> {
  const list = new CheckList()
  const decoded = await list.run('compact JWS', () => decodeJwtParts(raw, presentationName), (jwt) => `alg ${jwt.header.alg}`)
  if (decoded === undefined) return list.toInspection('presentation', {})
  const { header, payload } = decoded

  const holder = await list.run('iss', () => requireStringClaim(payload, 'iss', presentationName), (value) => value)
  inspectPresentationAudience(list, payload, context)
  // The service's presentation check admits a VP without `iat`, because some wallets omit it.
  inspectTimes(list, { iat: Math.floor(context.nowMs / 1000), ...payload }, context, presentationName)
  if (holder !== undefined) {
    await inspectSignature(list, context, { raw, header, signerDid: holder, purpose: purposeOf.presentation, tokenName: presentationName })
  }

  const credentials = credentialsOf(payload)
  const embeddedObjects = countEmbeddedObjects(payload)
  if (embeddedObjects > 0) list.note(`${embeddedObjects} credentials are JSON objects, not JWTs; they are not inspected`)
  if (credentials.length === 0) list.fail('credentials', `${presentationName} has no "vp.verifiableCredential" JWT credentials`)
  const nested: Record<string, unknown>[] = []
  for (const [index, credential] of credentials.entries()) {
    const credentialContext = { ...context, ...(holder === undefined ? {} : { holder }) }
    const inspection = await inspectCredential(credential, credentialContext, new CheckList(`credential ${index}: `))
    list.include(inspection)
    nested.push(inspection.decoded)
  }
  return list.toInspection('presentation', { header, payload: { ...payload, vp: undefined }, credentials: nested })
}

function inspectPresentationAudience(list: CheckList, payload: JWTPayload, context: InspectContext): void {
  const expected = context.audience
  if (expected === undefined) {
    list.note(`"aud" is ${JSON.stringify(payload.aud ?? null)}; give --audience DID to check it`)
    return
  }
  if (audienceContains(payload.aud, expected)) list.pass('audience', expected)
  else list.fail('audience', `${presentationName} is not addressed to ${JSON.stringify(expected)}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(payload.aud ?? null)}`)
}

function credentialEntries(payload: JWTPayload): unknown[] {
  const vp = payload.vp as { verifiableCredential?: unknown } | undefined
  const entries = vp?.verifiableCredential
  if (entries === undefined) return []
  return Array.isArray(entries) ? entries : [entries]
}

function credentialsOf(payload: JWTPayload): string[] {
  return credentialEntries(payload).filter((entry): entry is string => typeof entry === 'string')
}

function countEmbeddedObjects(payload: JWTPayload): number {
  return credentialEntries(payload).filter((entry) => typeof entry !== 'string').length
}
