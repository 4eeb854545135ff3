/**
 * DCP profiles of credentials this service stores and emits.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#profiles-of-the-decentralized-claims-protocol
 */
export type CredentialProfile = 'vc11-sl2021/jwt' | 'vc20-bssl/jwt' | 'vc20-bssl/json-ld'

/**
 * Every profile. DCP 1.0.1 defines the two JWT ones. `vc20-bssl/json-ld` is this service's name
 * for VC 2.0 JSON-LD credentials with a Data Integrity proof (ecdsa-rdfc-2019) and a Bitstring
 * Status List, which DCP 1.0.1 does not name.
 */
export const credentialProfiles = ['vc11-sl2021/jwt', 'vc20-bssl/jwt', 'vc20-bssl/json-ld'] as const satisfies readonly CredentialProfile[]

/**
 * `format` values of a `CredentialContainer` that this service accepts. DCP leaves them open:
 * its examples write `jwt` and `json-ld`, the official TCK sends the profile strings.
 */
export const acceptedContainerFormats = ['jwt', 'json-ld', 'vc11-sl2021/jwt', 'vc20-bssl/jwt'] as const
export type ContainerFormat = (typeof acceptedContainerFormats)[number]
