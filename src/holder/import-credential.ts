import type { ParsedCredential } from '../credentials/parsed-credential.js'
import type { Queryable } from '../storage/database.js'
import { findTrustedIssuer } from '../storage/trusted-issuer-repository.js'
import { verifyReceivedCredential, type CredentialIntake } from './credential-intake.js'
import type { Holder } from './receive-credential-message.js'

/**
 * Verifies a credential an operator imports for a holder, with the Storage API's checks. The
 * operator vouches for the issuer, so the trusted issuer list is not consulted, except for its
 * relaxed data model setting. Run it outside a transaction: resolving a DID this process hosts
 * reads the database, which the single session of the embedded database cannot do inside one.
 */
export async function verifyImportedCredential(
  db: Queryable,
  intake: CredentialIntake,
  holder: Holder,
  raw: string,
): Promise<ParsedCredential> {
  const issuerDid = issuerHint(raw)
  const trusted = issuerDid === undefined ? undefined : await findTrustedIssuer(db, holder.participantId, issuerDid)
  return verifyReceivedCredential(intake, raw, {
    holderDid: holder.did,
    relaxedDataModel: trusted?.relaxedDataModel ?? false,
  })
}

/**
 * Reads `iss` of a JWT, or `issuer` of a JSON-LD credential, without verifying, only to look up
 * the relaxed setting; verification follows.
 */
function issuerHint(raw: string): string | undefined {
  try {
    if (raw.trimStart().startsWith('{')) {
      const issuer = (JSON.parse(raw) as { issuer?: unknown }).issuer
      const id = typeof issuer === 'object' && issuer !== null ? (issuer as { id?: unknown }).id : issuer
      return typeof id === 'string' ? id : undefined
    }
    const claims = JSON.parse(Buffer.from(raw.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown
    const iss = typeof claims === 'object' && claims !== null ? (claims as { iss?: unknown }).iss : undefined
    return typeof iss === 'string' ? iss : undefined
  } catch {
    return undefined
  }
}
