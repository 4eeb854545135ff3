import { Type, type Static } from 'typebox'
import { AppError } from '../errors/app-error.js'
import { dcpContextV08, dcpContextV1, dcpVersionOf, type DcpVersion } from './context.js'

/**
 * `format` values of a `CredentialContainer` that the Storage API accepts. DCP 1.0.1 leaves the
 * values open: its examples write `jwt` and `json-ld`, DCP TCK 1.0.2 sends the profile strings,
 * and TCK 1.0.0-RC6, the release published on Maven Central, sends `VC1_0_JWT`. Every one of
 * them is taken, and the payload itself decides how the credential is verified.
 */
export const storageContainerFormats = ['jwt', 'json-ld', 'vc11-sl2021/jwt', 'vc20-bssl/jwt', 'VC1_0_JWT'] as const

const maxCredentialsPerMessage = 64

/**
 * Route schema of a `CredentialMessage`. DCP 1.0 writes `type` and DCP 0.8 peers write `@type`,
 * so either is accepted. `holderPid` is optional in the DCP schema, but it is how a message is
 * matched with the holder's request, and the DCP TCK expects a message without it to be rejected.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#credential-message
 */
export const CredentialMessageBody = Type.Object({
  '@context': Type.Array(Type.String({ maxLength: 2048 }), { minItems: 1, maxItems: 16 }),
  type: Type.Optional(Type.Literal('CredentialMessage')),
  '@type': Type.Optional(Type.Literal('CredentialMessage')),
  holderPid: Type.String({ minLength: 1, maxLength: 256 }),
  issuerPid: Type.String({ minLength: 1, maxLength: 256 }),
  status: Type.Union([Type.Literal('ISSUED'), Type.Literal('REJECTED')]),
  rejectionReason: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
  credentials: Type.Optional(
    Type.Array(
      Type.Object({
        credentialType: Type.String({ minLength: 1, maxLength: 256 }),
        format: Type.Union(storageContainerFormats.map((format) => Type.Literal(format))),
        payload: Type.String({ minLength: 1, maxLength: 256 * 1024 }),
      }),
      { maxItems: maxCredentialsPerMessage },
    ),
  ),
})

export type CredentialMessageBody = Static<typeof CredentialMessageBody>

/** A `CredentialMessage` that passed the schema and the DCP rules the schema cannot express. */
export interface CredentialMessage {
  version: DcpVersion
  holderPid: string
  issuerPid: string
  status: 'ISSUED' | 'REJECTED'
  rejectionReason: string | null
  credentials: Array<{ credentialType: string; format: string; payload: string }>
}

/** Checks the context and type of a `CredentialMessage` and returns its fields. */
export function interpretCredentialMessage(body: CredentialMessageBody): CredentialMessage {
  const version = requireDcpEnvelope(body, 'CredentialMessage')
  const credentials = body.credentials ?? []
  if (body.status === 'ISSUED' && credentials.length === 0) {
    throw new AppError('ERR_DCP_MESSAGE_INVALID', 'an ISSUED "CredentialMessage" must have at least one entry in "credentials"')
  }
  return {
    version,
    holderPid: body.holderPid,
    issuerPid: body.issuerPid,
    status: body.status,
    rejectionReason: body.rejectionReason ?? null,
    credentials,
  }
}

/** Checks that a message names a DCP context and carries the expected `type` or `@type`. */
export function requireDcpEnvelope(
  body: { '@context': string[]; type?: string; '@type'?: string },
  expectedType: string,
): DcpVersion {
  const version = dcpVersionOf(body['@context'])
  if (!version) {
    throw new AppError('ERR_DCP_MESSAGE_INVALID', `"@context" must contain "${dcpContextV1}" or "${dcpContextV08}"`)
  }
  if (body.type === undefined && body['@type'] === undefined) {
    throw new AppError('ERR_DCP_MESSAGE_INVALID', `missing "type": expected "${expectedType}"`)
  }
  return version
}
