/**
 * Stable error codes, each with the HTTP status it maps to and the text of the errors page.
 * Codes with `oauthError` are returned in the OAuth 2.0 error form (RFC 6749, section 5.2).
 * `docs/errors.md` lists every code; a test compares the two.
 */
export const errorCodes = {
  ERR_REQUEST_INVALID: {
    status: 400,
    description: 'The body, query string or path parameters do not match the route schema.',
  },
  ERR_REQUEST_MALFORMED: {
    status: 400,
    description: 'The body could not be parsed in its declared content type.',
  },
  ERR_REQUEST_TOO_LARGE: {
    status: 413,
    description: 'The body is larger than BODY_LIMIT_BYTES.',
  },
  ERR_REQUEST_MEDIA_TYPE: {
    status: 415,
    description: 'The route does not accept the Content-Type of the request.',
  },
  ERR_ROUTE_NOT_FOUND: {
    status: 404,
    description: 'No route matches the method and path.',
  },
  ERR_RATE_LIMITED: {
    status: 429,
    description: 'The client address sent more requests than RATE_LIMIT_MAX in one window.',
  },
  ERR_AUTH_MISSING: {
    status: 401,
    description: 'The request carries no Authorization header with a bearer credential.',
  },
  ERR_AUTH_INVALID: {
    status: 401,
    description: 'The bearer credential is unknown, revoked or belongs to a deactivated participant.',
  },
  ERR_AUTH_FORBIDDEN: {
    status: 403,
    description: 'The credential is valid but may not act on this resource.',
  },
  ERR_PARTICIPANT_NOT_FOUND: {
    status: 404,
    description: 'No participant has this id.',
  },
  ERR_PARTICIPANT_CONFLICT: {
    status: 409,
    description: 'Another participant already has this id or DID.',
  },
  ERR_PARTICIPANT_DEACTIVATED: {
    status: 409,
    description: 'The participant is deactivated, so the operation is not allowed.',
  },
  ERR_API_KEY_NOT_FOUND: {
    status: 404,
    description: 'The participant has no API key with this id.',
  },
  ERR_DCP_MESSAGE_INVALID: {
    status: 400,
    description: 'A DCP message lacks the DCP context, its type, or a field the protocol requires.',
  },
  ERR_DCP_QUERY_AMBIGUOUS: {
    status: 400,
    description: 'A presentation query has both "scope" and "presentationDefinition".',
  },
  ERR_DCP_PRESENTATION_DEFINITION_INVALID: {
    status: 400,
    description: 'The presentation definition of a query is not a valid DIF presentation definition.',
  },
  ERR_DCP_PRESENTATION_DEFINITION_UNSUPPORTED: {
    status: 501,
    description: 'A valid presentation definition was sent; this service returns presentations for queries by scope only.',
  },
  // A verifier that cannot resolve a caller's DID or find its key cannot authenticate the caller,
  // so every DID code maps to 401, the status of a rejected token, whatever the cause.
  ERR_DID_INVALID: {
    status: 401,
    description: 'The DID or DID URL is not a valid did:web identifier, so the caller cannot be authenticated.',
  },
  ERR_DID_METHOD_UNSUPPORTED: {
    status: 401,
    description: 'The DID uses a method other than did:web, the only method this service resolves.',
  },
  ERR_DID_NOT_FOUND: {
    status: 401,
    description: 'The host of the DID returned 404 or 410 for the DID document.',
  },
  ERR_DID_RESOLUTION_FAILED: {
    status: 401,
    description:
      'The DID document could not be fetched: DNS, connection or TLS failure, or an HTTP error status from the host.',
  },
  ERR_DID_RESOLUTION_TIMEOUT: {
    status: 401,
    description: 'Fetching the DID document took longer than DID_RESOLVE_TIMEOUT_MS.',
  },
  ERR_DID_ADDRESS_REFUSED: {
    status: 401,
    description:
      'The DID host is or resolves to a loopback, private, link-local, multicast, reserved or cloud metadata address, or the URL is http, and the host is not on DID_WEB_HTTP_HOSTS.',
  },
  ERR_DID_REDIRECT_REFUSED: {
    status: 401,
    description: 'The DID host redirected to a URL that is not https, or more often than DID_MAX_REDIRECTS.',
  },
  ERR_DID_DOCUMENT_TOO_LARGE: {
    status: 401,
    description: 'The DID document is larger than DID_DOCUMENT_MAX_BYTES.',
  },
  ERR_DID_DOCUMENT_INVALID: {
    status: 401,
    description: 'The DID host returned a response without a JSON content type, with invalid JSON, or with JSON that is not a DID document.',
  },
  ERR_DID_ID_MISMATCH: {
    status: 401,
    description: 'The id of the fetched DID document differs from the DID, so the document is discarded.',
  },
  ERR_DID_KEY_NOT_FOUND: {
    status: 401,
    description: 'The DID document has no verification method with the kid of the token, or the kid belongs to another DID.',
  },
  ERR_DID_KEY_AMBIGUOUS: {
    status: 401,
    description: 'The token has no kid and the DID document has several verification methods to choose from.',
  },
  ERR_DID_KEY_RELATIONSHIP: {
    status: 401,
    description:
      'The verification method is not referenced by the relationship its use needs: capabilityInvocation for SI tokens, authentication for presentations, assertionMethod for credentials.',
  },
  ERR_DID_KEY_INVALID: {
    status: 401,
    description:
      'The verification method has no usable publicKeyJwk: missing, carrying private key parts, not for signatures, or not importable for the algorithm of the token.',
  },
  ERR_TOKEN_MALFORMED: {
    status: 401,
    description: 'The bearer token is not a compact JWS with a JSON header and claims, or a claim has the wrong type.',
  },
  ERR_TOKEN_ALGORITHM_UNSUPPORTED: {
    status: 401,
    description: 'The token is signed with an algorithm this service does not accept (only asymmetric JWS algorithms are).',
  },
  ERR_TOKEN_CLAIM_MISSING: {
    status: 401,
    description: 'The token lacks a claim the protocol requires: iss, sub, aud, exp, iat or jti.',
  },
  ERR_TOKEN_SUBJECT_MISMATCH: {
    status: 401,
    description: 'The Self-Issued ID token has "iss" different from "sub", or "sub" is not the DID of its document.',
  },
  ERR_TOKEN_AUDIENCE_MISMATCH: {
    status: 401,
    description: 'The token is not addressed to the DID of the participant it was sent to.',
  },
  ERR_TOKEN_EXPIRED: {
    status: 401,
    description: 'The token "exp" has passed, beyond the clock leeway.',
  },
  ERR_TOKEN_NOT_YET_VALID: {
    status: 401,
    description: 'The token "iat" or "nbf" lies in the future, beyond the clock leeway.',
  },
  ERR_TOKEN_SIGNATURE_INVALID: {
    status: 401,
    description: "The token signature does not verify with the key its kid names in the signer's DID document.",
  },
  ERR_TOKEN_REPLAYED: {
    status: 401,
    description: 'A token with this "jti" was already accepted by this participant.',
  },
  ERR_ACCESS_TOKEN_INVALID: {
    status: 401,
    description:
      'The access token in the "token" claim was not minted by this participant, has expired, or is bound to another DID.',
  },
  ERR_CREDENTIAL_INVALID: {
    status: 400,
    description:
      'A credential could not be accepted: malformed, signed by a key its issuer does not publish under assertionMethod, issued to another holder, expired or not yet valid.',
  },
  ERR_CREDENTIAL_FORMAT_UNSUPPORTED: {
    status: 400,
    description: 'A delivered or imported credential is neither a compact JWS nor a JSON-LD credential with a Data Integrity proof.',
  },
  ERR_JSONLD_CONTEXT_UNKNOWN: {
    status: 400,
    description: 'A JSON-LD document names a context that is not bundled with the service. Contexts are never fetched over the network.',
  },
  ERR_DATA_INTEGRITY_KEY_UNSUPPORTED: {
    status: 409,
    description: 'The signing key for a Data Integrity proof is not a P-256 key, which the ecdsa-rdfc-2019 cryptosuite needs.',
  },
  ERR_DATA_INTEGRITY_SIGNING_FAILED: {
    status: 500,
    description: 'Signing a Data Integrity proof failed in JSON-LD processing.',
  },
  ERR_CREDENTIAL_MESSAGE_UNSOLICITED: {
    status: 403,
    description:
      'A CredentialMessage answers no open request of the holder to its sender, and the holder does not trust the sender for unsolicited delivery.',
  },
  ERR_CREDENTIAL_TYPE_NOT_TRUSTED: {
    status: 403,
    description: 'The holder trusts the sender for unsolicited delivery, but not for credentials of this type.',
  },
  ERR_CREDENTIAL_NOT_FOUND: {
    status: 404,
    description: 'The participant holds no credential with this id.',
  },
  ERR_TRUSTED_ISSUER_NOT_FOUND: {
    status: 404,
    description: 'The participant has no trusted issuer entry for this DID.',
  },
  ERR_VERIFIER_POLICY_NOT_FOUND: {
    status: 404,
    description: 'The participant has no access rules for this verifier DID.',
  },
  ERR_DCP_SENDER_MISMATCH: {
    status: 403,
    description: 'A DCP message names an issuer other than the DID that signed its Self-Issued ID token.',
  },
  ERR_OFFER_COMPLETION_FAILED: {
    status: 502,
    description: "The issuer's metadata, needed to complete the sparse entries of a credential offer, could not be fetched or read.",
  },
  ERR_CREDENTIAL_REQUEST_NOT_FOUND: {
    status: 404,
    description: 'The participant has no credential request with this id.',
  },
  ERR_CREDENTIAL_REQUEST_STATE: {
    status: 409,
    description: 'Only a credential request in state error or rejected can be retried.',
  },
  ERR_CREDENTIAL_REQUEST_HOLDER_ROLE: {
    status: 409,
    description: 'The participant lacks the holder role, so it cannot receive the credentials it would request.',
  },
  ERR_CREDENTIAL_REQUEST_ISSUER_UNKNOWN: {
    status: 422,
    description: 'The issuer DID is invalid, uses an unsupported method, or has no DID document.',
  },
  ERR_CREDENTIAL_REQUEST_ISSUER_SERVICE_MISSING: {
    status: 422,
    description: "The issuer's DID document has no IssuerService entry with a URL.",
  },
  ERR_CREDENTIAL_REQUEST_CREDENTIAL_UNKNOWN: {
    status: 422,
    description: 'The issuer metadata lists no CredentialObject with a requested id or credentialType.',
  },
  ERR_CREDENTIAL_REQUEST_REFUSED: {
    status: 422,
    description: 'The issuer rejected the CredentialRequestMessage with a 4xx status.',
  },
  ERR_CREDENTIAL_REQUEST_ISSUER_UNAVAILABLE: {
    status: 502,
    description: 'The issuer could not be reached, timed out or returned a server error, so the request is retried.',
  },
  ERR_STATUS_LIST_INVALID: {
    status: 502,
    description:
      'A status list credential could not be fetched, verified or decoded, so the state of the credentials that use it is left unchanged.',
  },
  ERR_KEY_NOT_FOUND: {
    status: 404,
    description: 'The participant has no signing key with this id.',
  },
  ERR_KEY_NO_DEFAULT: {
    status: 409,
    description: 'The participant has no active key for the usage; create one or rotate a key with that usage.',
  },
  ERR_KEY_NOT_ACTIVE: {
    status: 409,
    description: 'The key is rotated or revoked, so it can no longer be rotated or used to sign.',
  },
  ERR_KEY_CUSTODY_UNAVAILABLE: {
    status: 400,
    description: 'The requested key custody needs settings this instance lacks, such as a KMS region or MASTER_KEY.',
  },
  ERR_KEY_MATERIAL_INVALID: {
    status: 500,
    description: 'A stored private key could not be decrypted or parsed, for example under a different MASTER_KEY.',
  },
  ERR_KMS_UNAVAILABLE: {
    status: 503,
    description: 'AWS KMS timed out, throttled or could not be reached after every attempt; the request can be retried.',
  },
  ERR_KMS_REQUEST_FAILED: {
    status: 502,
    description: 'AWS KMS rejected a request, for example for missing permissions or a disabled key.',
  },
  ERR_SERVICE_NOT_FOUND: {
    status: 404,
    description: 'The participant has no DID service entry with this id.',
  },
  ERR_SERVICE_CONFLICT: {
    status: 409,
    description: 'The DID document already has a service entry with this id.',
  },
  ERR_HOSTED_DID_NOT_FOUND: {
    status: 404,
    description: 'No active participant has a DID whose did:web path is the requested path.',
  },
  ERR_HOSTED_DID_AMBIGUOUS: {
    status: 500,
    description: 'Several active participants have a DID with the requested did:web path; give each a distinct path.',
  },
  ERR_STS_REQUEST_INVALID: {
    status: 400,
    oauthError: 'invalid_request',
    description: 'The STS token request lacks client_id, client_secret or audience, or sends both bearer_access_scope and token.',
  },
  ERR_STS_GRANT_TYPE_UNSUPPORTED: {
    status: 400,
    oauthError: 'unsupported_grant_type',
    description: 'The STS token request has a grant_type other than client_credentials.',
  },
  ERR_STS_CLIENT_INVALID: {
    status: 401,
    oauthError: 'invalid_client',
    description: 'The STS client id is unknown, the secret is wrong, or the participant is deactivated.',
  },
  ERR_DIM_REQUEST_INVALID: {
    status: 400,
    description: 'The DIM STS request has neither or both of grantAccess and signToken, or grantAccess lists no credential type.',
  },
  ERR_DIM_TOKEN_INVALID: {
    status: 401,
    description: 'The bearer token of a DIM STS request is not one that POST /dim/oauth/token issued, has expired, or its STS client is gone.',
  },
  ERR_DIM_DID_MISMATCH: {
    status: 403,
    description: 'consumerDid, issuer or subject of the DIM STS request is not the DID of the authenticated STS client.',
  },
  ERR_ISSUER_DEFINITION_NOT_FOUND: {
    status: 404,
    description: 'The issuer has no credential definition with this id.',
  },
  ERR_ISSUER_DEFINITION_CONFLICT: {
    status: 409,
    description: 'The issuer already has a credential definition with this id.',
  },
  ERR_ISSUER_SUBJECT_SCHEMA_INVALID: {
    status: 400,
    description: 'The subject JSON schema of a credential definition does not compile.',
  },
  ERR_ISSUER_HOLDER_NOT_FOUND: {
    status: 404,
    description: "The issuer's holders registry has no holder with this id.",
  },
  ERR_ISSUER_HOLDER_CONFLICT: {
    status: 409,
    description: "The issuer's holders registry already has a holder with this DID.",
  },
  ERR_ISSUER_HOLDER_UNKNOWN: {
    status: 401,
    description: "A credential request comes from a DID that is not in the issuer's holders registry.",
  },
  ERR_ISSUER_CREDENTIAL_UNKNOWN: {
    status: 400,
    description: 'A credential request names a credential object id that the issuer metadata does not offer.',
  },
  ERR_ISSUER_HOLDER_PID_CONFLICT: {
    status: 409,
    description: 'The holder already sent a credential request with this `holderPid`.',
  },
  ERR_ISSUER_REQUEST_NOT_FOUND: {
    status: 404,
    description: 'No credential request with this id exists for this caller or issuer.',
  },
  ERR_ISSUER_REQUEST_STATE: {
    status: 409,
    description: 'The credential request is not waiting for approval, so it cannot be approved or rejected.',
  },
  ERR_ISSUER_DELIVERY_NOT_FOUND: {
    status: 404,
    description: 'The issuer has no delivery with this id.',
  },
  ERR_ISSUER_DELIVERY_STATE: {
    status: 409,
    description: 'Only a dead delivery can be retried.',
  },
  ERR_ISSUER_CREDENTIAL_NOT_FOUND: {
    status: 404,
    description: 'The issuer has no issued credential with this id.',
  },
  ERR_ISSUER_CREDENTIAL_STATE: {
    status: 409,
    description: 'The status change is not possible: the credential is revoked, is not suspended, or its definition is not suspendable.',
  },
  ERR_STATUS_LIST_NOT_FOUND: {
    status: 404,
    description: 'No status list has this id.',
  },
  ERR_STATUS_LIST_NOT_ACCEPTABLE: {
    status: 406,
    description: 'The `Accept` header names no media type a status list is served in.',
  },
  ERR_DATABASE_UNAVAILABLE: {
    status: 503,
    description: 'The database did not respond; the request can be retried.',
  },
  ERR_INTERNAL: {
    status: 500,
    description: 'An unexpected failure; the response carries no detail and the log has the request id.',
  },
} as const satisfies Record<string, { status: number; description: string; oauthError?: string }>

export type ErrorCode = keyof typeof errorCodes

export function statusOf(code: ErrorCode): number {
  return errorCodes[code].status
}
