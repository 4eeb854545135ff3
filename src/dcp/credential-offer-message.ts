import { Type, type Static } from 'typebox'
import type { DcpVersion } from './context.js'
import { requireDcpEnvelope } from './credential-message.js'

/**
 * Route schema of a `CredentialOfferMessage`. Entries may be full `CredentialObject`s or sparse
 * `{id}` objects that the holder completes from the issuer's metadata, so only `id` is required
 * and other properties are kept as sent. DCP TCK 1.0.0-RC6 writes `profiles` (an array) where
 * DCP 1.0.1 writes `profile`; both pass through unchanged.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#credential-offer-message
 */
export const CredentialOfferMessageBody = Type.Object({
  '@context': Type.Array(Type.String({ maxLength: 2048 }), { minItems: 1, maxItems: 16 }),
  type: Type.Optional(Type.Literal('CredentialOfferMessage')),
  '@type': Type.Optional(Type.Literal('CredentialOfferMessage')),
  issuer: Type.String({ minLength: 1, maxLength: 2048 }),
  credentials: Type.Array(
    Type.Object({ id: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: true }),
    { minItems: 1, maxItems: 64 },
  ),
})

export type CredentialOfferMessageBody = Static<typeof CredentialOfferMessageBody>

export interface CredentialOffer {
  version: DcpVersion
  issuer: string
  credentials: Record<string, unknown>[]
}

/** Checks the context and type of a `CredentialOfferMessage` and returns its fields. */
export function interpretCredentialOffer(body: CredentialOfferMessageBody): CredentialOffer {
  const version = requireDcpEnvelope(body, 'CredentialOfferMessage')
  return { version, issuer: body.issuer, credentials: body.credentials }
}
