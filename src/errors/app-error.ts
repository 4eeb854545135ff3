import { statusOf, type ErrorCode } from './codes.js'

/**
 * Base of every error the service raises on purpose. The HTTP layer answers `{error: code,
 * message}` with the status the code maps to; 5xx messages are replaced by a generic text.
 */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AppError'
    this.code = code
    this.statusCode = statusOf(code)
  }

  /** Whether the message may be sent to the client. */
  get expose(): boolean {
    return this.statusCode < 500
  }
}

export class NotFoundError extends AppError {
  constructor(
    code:
      | 'ERR_PARTICIPANT_NOT_FOUND'
      | 'ERR_API_KEY_NOT_FOUND'
      | 'ERR_ROUTE_NOT_FOUND'
      | 'ERR_KEY_NOT_FOUND'
      | 'ERR_SERVICE_NOT_FOUND'
      | 'ERR_HOSTED_DID_NOT_FOUND'
      | 'ERR_ISSUER_DEFINITION_NOT_FOUND'
      | 'ERR_ISSUER_HOLDER_NOT_FOUND'
      | 'ERR_ISSUER_REQUEST_NOT_FOUND'
      | 'ERR_ISSUER_DELIVERY_NOT_FOUND'
      | 'ERR_ISSUER_CREDENTIAL_NOT_FOUND'
      | 'ERR_STATUS_LIST_NOT_FOUND'
      | 'ERR_CREDENTIAL_NOT_FOUND'
      | 'ERR_TRUSTED_ISSUER_NOT_FOUND'
      | 'ERR_VERIFIER_POLICY_NOT_FOUND',
    message: string,
  ) {
    super(code, message)
    this.name = 'NotFoundError'
  }
}

export class ConflictError extends AppError {
  constructor(
    code:
      | 'ERR_PARTICIPANT_CONFLICT'
      | 'ERR_PARTICIPANT_DEACTIVATED'
      | 'ERR_KEY_NO_DEFAULT'
      | 'ERR_KEY_NOT_ACTIVE'
      | 'ERR_SERVICE_CONFLICT'
      | 'ERR_ISSUER_DEFINITION_CONFLICT'
      | 'ERR_ISSUER_HOLDER_CONFLICT'
      | 'ERR_ISSUER_HOLDER_PID_CONFLICT'
      | 'ERR_ISSUER_REQUEST_STATE'
      | 'ERR_ISSUER_DELIVERY_STATE'
      | 'ERR_ISSUER_CREDENTIAL_STATE',
    message: string,
  ) {
    super(code, message)
    this.name = 'ConflictError'
  }
}

export class AuthError extends AppError {
  constructor(code: 'ERR_AUTH_MISSING' | 'ERR_AUTH_INVALID' | 'ERR_AUTH_FORBIDDEN', message: string) {
    super(code, message)
    this.name = 'AuthError'
  }
}

export class DatabaseUnavailableError extends AppError {
  constructor(cause: unknown) {
    super('ERR_DATABASE_UNAVAILABLE', 'the database is unavailable', { cause })
    this.name = 'DatabaseUnavailableError'
  }
}
