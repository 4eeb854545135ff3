/**
 * DCP profiles of credentials this service stores and emits.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#profiles-of-the-decentralized-claims-protocol
 */
export type CredentialProfile = 'vc11-sl2021/jwt' | 'vc20-bssl/jwt'

/**
 * `format` values of a `CredentialContainer` that this service accepts. DCP leaves them open:
 * its examples write `jwt` and `json-ld`, the official TCK sends the profile strings.
 */
export const acceptedContainerFormats = ['jwt', 'json-ld', 'vc11-sl2021/jwt', 'vc20-bssl/jwt'] as const
export type ContainerFormat = (typeof acceptedContainerFormats)[number]
