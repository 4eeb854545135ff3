import { credentialProfiles } from '../credentials/credential-format.js'
import { Type, type Static } from 'typebox'
import { didWebPattern, participantIdPattern } from '../participants/participant.js'

const KeyUsage = Type.Union([Type.Literal('sign_token'), Type.Literal('sign_presentation'), Type.Literal('sign_credentials')])

const SeedKey = Type.Object(
  {
    usages: Type.Array(KeyUsage, { minItems: 1, uniqueItems: true }),
    algorithm: Type.Optional(Type.Union([Type.Literal('ES256'), Type.Literal('EdDSA')])),
    custody: Type.Optional(Type.Union([Type.Literal('local'), Type.Literal('aws-kms'), Type.Literal('kms-envelope')])),
  },
  { additionalProperties: false },
)

const SeedService = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9._~-]{1,64}$', description: 'Fragment of the service id after "#".' }),
    type: Type.String({ minLength: 1, maxLength: 200 }),
    serviceEndpoint: Type.String({ minLength: 1, maxLength: 2048 }),
  },
  { additionalProperties: false },
)

const SeedStsClient = Type.Object(
  {
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    clientSecretFile: Type.Optional(
      Type.String({ minLength: 1, description: 'File holding the client secret, such as a mounted Kubernetes Secret.' }),
    ),
  },
  { additionalProperties: false },
)

const SeedTrustedIssuer = Type.Union([
  Type.String({ pattern: '^did:' }),
  Type.Object(
    {
      did: Type.String({ pattern: '^did:' }),
      credentialTypes: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
      relaxedDataModel: Type.Optional(
        Type.Boolean({
          description:
            'Admit credentials whose type lacks VerifiableCredential or whose JWT sub is not the holder, as the trusted issuer route of the admin API does.',
        }),
      ),
    },
    { additionalProperties: false },
  ),
])

const SeedCredentialDefinition = Type.Union([
  Type.Literal('tractus-x', { description: 'MembershipCredential, BpnCredential and DataExchangeGovernanceCredential.' }),
  Type.Object(
    {
      id: Type.String({ pattern: '^[A-Za-z0-9._~-]{1,128}$' }),
      credentialType: Type.String({ minLength: 1, maxLength: 200 }),
      profile: Type.Optional(Type.Union(credentialProfiles.map((profile) => Type.Literal(profile)))),
      validitySeconds: Type.Optional(Type.Integer({ minimum: 60 })),
      claims: Type.Optional(
        Type.Record(
          Type.String(),
          Type.Union([
            Type.Object({ attribute: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
            Type.Object({ value: Type.Unknown() }, { additionalProperties: false }),
          ]),
        ),
      ),
      approval: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('manual')])),
      suspendable: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
])

const SeedHolder = Type.Object(
  {
    did: Type.String({ pattern: '^did:' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
)

const SeedAccessPolicy = Type.Object(
  {
    verifierDid: Type.String({ pattern: '^did:[a-z0-9]+:\\S+$', maxLength: 2048 }),
    allow: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
        maxItems: 100,
        description: 'When not empty, only these credential types are presented to the verifier.',
      }),
    ),
    deny: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
        maxItems: 100,
        description: 'Credential types never presented to the verifier; deny wins over allow.',
      }),
    ),
  },
  { additionalProperties: false },
)

const SeedCredentialRequest = Type.Object(
  {
    issuerDid: Type.String({ pattern: '^did:' }),
    credentialTypes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, description: "Matched against the issuer metadata's credentialType." }),
    ),
    credentials: Type.Optional(
      Type.Array(Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }), {
        minItems: 1,
        description: 'CredentialObject ids of the issuer metadata.',
      }),
    ),
  },
  { additionalProperties: false },
)

const SeedParticipant = Type.Object(
  {
    id: Type.String({ pattern: participantIdPattern }),
    did: Type.String({ pattern: didWebPattern }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    roles: Type.Array(Type.Union([Type.Literal('holder'), Type.Literal('issuer')]), { minItems: 1, uniqueItems: true }),
    keys: Type.Optional(Type.Array(SeedKey)),
    services: Type.Optional(Type.Array(SeedService)),
    sts: Type.Optional(SeedStsClient),
    trustedIssuers: Type.Optional(Type.Array(SeedTrustedIssuer)),
    accessPolicies: Type.Optional(Type.Array(SeedAccessPolicy)),
    credentialDefinitions: Type.Optional(Type.Array(SeedCredentialDefinition)),
    holders: Type.Optional(Type.Array(SeedHolder)),
    credentialRequests: Type.Optional(Type.Array(SeedCredentialRequest)),
  },
  { additionalProperties: false },
)

/**
 * A declarative seed: the participants of this instance with their keys, DID services, STS
 * client, trusted issuers, verifier access policies and credential requests, and for issuers
 * their credential definitions and holder registry. Applying it creates what is missing and
 * changes what differs, and participants absent from the file are left alone. Credential requests
 * are only added, while no live request for the same issuer and credentials exists.
 */
export const SeedDocument = Type.Object(
  { participants: Type.Array(SeedParticipant) },
  { additionalProperties: false },
)

export type SeedDocument = Static<typeof SeedDocument>
export type SeedParticipant = Static<typeof SeedParticipant>
export type SeedKey = Static<typeof SeedKey>
export type SeedCredentialDefinition = Static<typeof SeedCredentialDefinition>
