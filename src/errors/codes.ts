/**
 * Stable error codes, each with the HTTP status it maps to and the text of the errors page.
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
  ERR_DID_NOT_FOUND: {
    status: 404,
    description: 'No active participant has a DID whose did:web path is the requested path.',
  },
  ERR_DID_AMBIGUOUS: {
    status: 500,
    description: 'Several active participants have a DID with the requested did:web path; give each a distinct path.',
  },
  ERR_DATABASE_UNAVAILABLE: {
    status: 503,
    description: 'The database did not answer; the request can be retried.',
  },
  ERR_INTERNAL: {
    status: 500,
    description: 'An unexpected failure; the response carries no detail and the log has the request id.',
  },
} as const satisfies Record<string, { status: number; description: string }>

export type ErrorCode = keyof typeof errorCodes

export function statusOf(code: ErrorCode): number {
  return errorCodes[code].status
}
