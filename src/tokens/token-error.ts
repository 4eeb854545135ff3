import { AppError } from '../errors/app-error.js'
import type { ErrorCode } from '../errors/codes.js'

export type TokenErrorCode = Extract<ErrorCode, `ERR_TOKEN_${string}` | `ERR_ACCESS_TOKEN_${string}`>

/** A refused token: the caller gets 401 with the rule that failed. */
export class TokenError extends AppError {
  constructor(code: TokenErrorCode, message: string) {
    super(code, message)
    this.name = 'TokenError'
  }
}
