import { checkCredentialSubject, checkIssuerClaim, checkValidity } from '../credentials/verify-jwt-credential.js'
import { parseJwtCredential, type ParsedCredential } from '../credentials/parsed-credential.js'
import { purposeOf } from '../did/verification-method.js'
import { AppError } from '../errors/app-error.js'
import { statusBitOf } from '../holder/status/refresh-credential-states.js'
import { statusEntriesOf } from '../holder/status/status-entry.js'
import { admitsTypes } from '../storage/trusted-issuer-repository.js'
import type { InspectContext } from './inspect-context.js'
import { inspectSignature } from './inspect-signature.js'
import { CheckList, type Inspection } from './inspection.js'
import { relativeTo } from './relative-time.js'

/**
 * Inspects a JWT credential (VC 1.1 with a `vc` claim, or VC 2.0 secured with JOSE) with the
 * rules the holder applies before storing one: issuer claim, subject, validity period, the
 * issuer's `assertionMethod` key and signature. It then checks trust in the issuer and reads
 * every revocation and suspension entry from its status list.
 */
export async function inspectCredential(raw: string, context: InspectContext, list = new CheckList()): Promise<Inspection> {
  const credential = await list.run('credential format', () => parseJwtCredential(raw), (parsed) => parsed.profile)
  if (credential === undefined) return list.toInspection('credential', {})

  await list.run('iss is the issuer', () => checkIssuerClaim(credential), () => credential.issuer)
  if (context.holder === undefined) {
    list.note(`the subject is ${JSON.stringify(credential.subjectId ?? null)}; give --holder DID to check it`)
  } else {
    const holder = context.holder
    await list.run('subject = holder', () => checkCredentialSubject(credential, holder, false), () => holder)
  }
  inspectValidity(list, credential, context)
  await inspectSignature(list, context, {
    raw,
    header: credential.header,
    signerDid: credential.issuer,
    purpose: purposeOf.credential,
    tokenName: 'the credential',
  })
  inspectTrust(list, credential, context)
  await inspectStatus(list, credential, context)
  return list.toInspection('credential', {
    profile: credential.profile,
    header: credential.header,
    issuer: credential.issuer,
    subject: credential.subjectId,
    types: credential.types,
    validFrom: credential.validFrom?.toISOString(),
    validUntil: credential.validUntil?.toISOString(),
    credentialStatus: credential.statusEntries,
    payload: credential.payload,
  })
}

function inspectValidity(list: CheckList, credential: ParsedCredential, context: InspectContext): void {
  const until = credential.validUntil
  try {
    checkValidity(credential, context)
    list.pass('validity period', until === undefined ? 'no end' : `valid until ${until.toISOString()}${relativeTo(until.getTime(), context.nowMs)}`)
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    const expired = until !== undefined && until.getTime() <= context.nowMs
    const instant = expired ? until : credential.validFrom
    list.fail('validity period', `${error.message}${instant === undefined ? '' : relativeTo(instant.getTime(), context.nowMs)}`)
  }
}

function inspectTrust(list: CheckList, credential: ParsedCredential, context: InspectContext): void {
  const fromDatabase = context.local?.trustedIssuers.find((trusted) => trusted.issuerDid === credential.issuer)
  if (context.local === undefined && context.trustedIssuerDids.length === 0) {
    list.note('trust in the issuer is not checked; give --trusted-issuer DID or --participant ID with DATABASE_URL')
    return
  }
  if (context.trustedIssuerDids.includes(credential.issuer)) {
    list.pass('issuer trusted', `${credential.issuer} is given with --trusted-issuer`)
  } else if (fromDatabase !== undefined && admitsTypes(fromDatabase, credential.types)) {
    list.pass('issuer trusted', `${credential.issuer} is a trusted issuer of ${fromDatabase.participantId}`)
  } else if (fromDatabase !== undefined) {
    list.fail('issuer trusted', `${credential.issuer} is trusted by ${fromDatabase.participantId} only for ${fromDatabase.credentialTypes.join(', ')}, not for ${credential.types.join(', ')}`)
  } else {
    const trusted = [...context.trustedIssuerDids, ...(context.local?.trustedIssuers.map((entry) => entry.issuerDid) ?? [])]
    list.fail('issuer trusted', `issuer ${JSON.stringify(credential.issuer)} is not trusted; trusted issuers: ${trusted.length === 0 ? 'none' : trusted.join(', ')}`)
  }
}

async function inspectStatus(list: CheckList, credential: ParsedCredential, context: InspectContext): Promise<void> {
  const entries = statusEntriesOf(credential.statusEntries).filter((entry) => entry.purpose === 'revocation' || entry.purpose === 'suspension')
  if (entries.length === 0) {
    list.note('the credential has no revocation or suspension entry')
    return
  }
  for (const entry of entries) {
    const name = entry.purpose === 'revocation' ? 'not revoked' : 'not suspended'
    const location = `${entry.listUrl} index ${entry.index}`
    const set = await list.run(`status list (${entry.purpose})`, async () => {
      const statusList = await context.statusLists.getList(entry.listUrl, entry.kind)
      return statusBitOf(statusList, entry, credential.issuer)
    }, () => `${entry.listUrl} fetched and verified`)
    if (set === undefined) continue
    if (set) list.fail(name, `the credential is ${entry.purpose === 'revocation' ? 'revoked' : 'suspended'}: bit ${location} is set`)
    else list.pass(name, `bit ${location} is clear`)
  }
}
