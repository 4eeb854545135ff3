import { verifyJwtCredential } from '../credentials/verify-jwt-credential.js'
import type { ParsedCredential } from '../credentials/parsed-credential.js'
import type { DidResolver } from '../did/resolver.js'
import { AppError } from '../errors/app-error.js'

/** Collaborators and settings of credential verification for a holder. */
export interface CredentialIntake {
  resolver: Pick<DidResolver, 'resolveDocument'>
  leewaySeconds: number
  /** Current time in milliseconds. */
  now?: () => number
}

export interface IntakeCheck {
  holderDid: string
  /** The issuer is admitted with relaxed VC data model checks; see `TrustedIssuer`. */
  relaxedDataModel: boolean
  /** DID that must have issued the credential, such as the sender of a CredentialMessage. */
  expectedIssuer?: string
  /** `credentialType` of the container, which the credential's `type` must contain. */
  expectedType?: string
}

const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

/**
 * Verifies one received credential before it is stored. It must be a JWT credential whose
 * signature verifies with an `assertionMethod` key of its issuer, or a JSON-LD credential whose
 * Data Integrity proof does. Either must be issued to the holder and valid now, and match the
 * issuer and type that its delivery names.
 */
export async function verifyReceivedCredential(
  intake: CredentialIntake,
  payload: string,
  check: IntakeCheck,
): Promise<ParsedCredential> {
  const credentialCheck = {
    holderDid: check.holderDid,
    nowMs: intake.now?.() ?? Date.now(),
    leewaySeconds: intake.leewaySeconds,
    relaxedDataModel: check.relaxedDataModel,
  }
  let credential: ParsedCredential
  if (compactJws.test(payload)) {
    credential = await verifyJwtCredential(intake.resolver, payload, credentialCheck)
  } else if (payload.trimStart().startsWith('{')) {
    // Imported on first use, so JWT-only wallets never load the JSON-LD libraries.
    const { verifyDataIntegrityCredential } = await import('../credentials/data-integrity/verify-data-integrity-credential.js')
    credential = await verifyDataIntegrityCredential(intake.resolver, payload, credentialCheck)
  } else {
    throw new AppError(
      'ERR_CREDENTIAL_FORMAT_UNSUPPORTED',
      'the credential is neither a compact JWS (vc11-sl2021/jwt, vc20-bssl/jwt) nor a JSON-LD object with a Data Integrity proof (vc20-bssl/json-ld)',
    )
  }

  if (check.expectedIssuer !== undefined && credential.issuer !== check.expectedIssuer) {
    throw new AppError(
      'ERR_CREDENTIAL_INVALID',
      `the credential is issued by ${JSON.stringify(credential.issuer)} but delivered by ${JSON.stringify(check.expectedIssuer)}`,
    )
  }
  if (check.expectedType !== undefined && !credential.types.includes(check.expectedType)) {
    throw new AppError(
      'ERR_CREDENTIAL_INVALID',
      `the credential "type" ${JSON.stringify(credential.types)} does not contain its "credentialType" ${JSON.stringify(check.expectedType)}`,
    )
  }
  return credential
}
