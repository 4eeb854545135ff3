import { AppError } from '../errors/app-error.js'

/** SDK error names that mean KMS was not reached or asked the client to slow down. */
const transientNames = new Set([
  'ThrottlingException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'TimeoutError',
  'RequestTimeout',
  'AbortError',
])
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'])

/**
 * Runs one KMS call and maps its failure to ERR_KMS_UNAVAILABLE (503, worth retrying) or
 * ERR_KMS_REQUEST_FAILED (502). Both are 5xx, so clients see a generic message and the log has
 * the SDK error.
 */
export async function callKms<Output>(operation: string, call: () => Promise<Output>): Promise<Output> {
  try {
    return await call()
  } catch (error) {
    throw toKmsError(operation, error)
  }
}

export function toKmsError(operation: string, error: unknown): AppError {
  const name = error instanceof Error ? error.name : 'UnknownError'
  const code = (error as { code?: unknown }).code
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  const transient =
    transientNames.has(name) || (typeof code === 'string' && networkCodes.has(code)) || (status ?? 0) >= 500
  const reason = error instanceof Error ? `${name}: ${error.message}` : String(error)
  return transient
    ? new AppError('ERR_KMS_UNAVAILABLE', `KMS ${operation} failed after every attempt (${reason})`, { cause: error })
    : new AppError('ERR_KMS_REQUEST_FAILED', `KMS ${operation} was rejected (${reason})`, { cause: error })
}
