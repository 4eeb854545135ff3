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
    description: 'A valid presentation definition was sent; this service answers queries by scope only.',
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
