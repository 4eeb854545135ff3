import type { DimConfig } from '../config/dim-variables.js'
import { AppError } from '../errors/app-error.js'
import type { StsClientCredential } from '../storage/sts-client-repository.js'
import type { SecureTokenService } from './sts-service.js'

/** `grantAccess` of a DIM STS request: the connector requests an SI token with a new access token. */
export interface GrantAccessRequest {
  /** The requesting participant's DID: the `iss` of the SI token. */
  consumerDid: string
  /** The counter-party's DID: the `aud` of the SI token and the `sub` of the access token. */
  providerDid: string
  /** Credential types, the middle segment of each `alias:Type:operation` scope. */
  credentialTypes: string[]
  /** Operation of every scope, such as `read`, which the connector always sends. */
  scope: string
}

/** `signToken` of a DIM STS request: the connector requests an SI token that carries `token` verbatim. */
export interface SignTokenRequest {
  audience: string
  issuer: string
  subject: string
  token: string
}

/**
 * Maps the two DIM STS operations that the Tractus-X connector calls onto this service's STS.
 * `grantAccess` becomes an SI token with a new access token for scopes rebuilt as
 * `DIM_FACADE_SCOPE_ALIAS:Type:scope`, and `signToken` an SI token that embeds the given token.
 * The DIDs in the request must be the authenticated client's own DID.
 */
export class DimFacade {
  readonly #sts: Pick<SecureTokenService, 'issueFor'>
  readonly #config: DimConfig

  constructor(sts: Pick<SecureTokenService, 'issueFor'>, config: DimConfig) {
    this.#sts = sts
    this.#config = config
  }

  async grantAccess(client: StsClientCredential, request: GrantAccessRequest): Promise<{ jwt: string }> {
    requireOwnDid(client, 'consumerDid', request.consumerDid)
    const types = [...new Set(request.credentialTypes)]
    if (types.length === 0) throw new AppError('ERR_DIM_REQUEST_INVALID', '"grantAccess.credentialTypes" is empty; expected at least one credential type')
    const scopes = types.map((type) => `${this.#config.scopeAlias}:${type}:${request.scope}`)
    const response = await this.#sts.issueFor(client, { audience: request.providerDid, bearerAccessScope: scopes.join(' ') })
    return { jwt: response.access_token }
  }

  async signToken(client: StsClientCredential, request: SignTokenRequest): Promise<{ jwt: string }> {
    requireOwnDid(client, 'issuer', request.issuer)
    requireOwnDid(client, 'subject', request.subject)
    const response = await this.#sts.issueFor(client, { audience: request.audience, token: request.token })
    return { jwt: response.access_token }
  }
}

function requireOwnDid(client: StsClientCredential, field: string, did: string): void {
  if (did !== client.participantDid) {
    throw new AppError('ERR_DIM_DID_MISMATCH', `"${field}" ${JSON.stringify(did)} is not the DID of STS client ${JSON.stringify(client.clientId)}`)
  }
}
