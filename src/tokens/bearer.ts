import { AuthError } from '../errors/app-error.js'

/** Takes the token of an `Authorization: Bearer <token>` header; a missing prefix is refused. */
export function bearerTokenOf(header: string | undefined): string {
  const match = header === undefined ? null : /^Bearer +([A-Za-z0-9_.~+/=-]+)\s*$/.exec(header)
  if (!match) throw new AuthError('ERR_AUTH_MISSING', 'missing "Authorization: Bearer <token>" header')
  return match[1]!
}
