import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../errors/app-error.js'
import { errorCodes, type ErrorCode } from '../errors/codes.js'
import { isDatabaseUnavailable } from '../storage/open-database.js'

/** The JSON body of every error response. */
export interface ErrorBody {
  error: ErrorCode
  message: string
}

/** The body of an error of the STS token endpoint, in the OAuth 2.0 form. */
export interface OAuthErrorBody {
  error: string
  error_description: string
}

interface ValidationIssue {
  keyword: string
  instancePath: string
  message?: string
  params: Record<string, unknown>
}

const fastifyCodes: Partial<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'ERR_REQUEST_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'ERR_REQUEST_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ERR_REQUEST_MALFORMED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'ERR_REQUEST_MALFORMED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'ERR_REQUEST_MALFORMED',
  FST_ERR_CTP_INVALID_TYPE: 'ERR_REQUEST_MALFORMED',
}

const statusCodes: Partial<Record<number, ErrorCode>> = {
  400: 'ERR_REQUEST_MALFORMED',
  401: 'ERR_AUTH_INVALID',
  403: 'ERR_AUTH_FORBIDDEN',
  404: 'ERR_ROUTE_NOT_FOUND',
  413: 'ERR_REQUEST_TOO_LARGE',
  415: 'ERR_REQUEST_MEDIA_TYPE',
  429: 'ERR_RATE_LIMITED',
}

/**
 * Maps any error to its code, status and client message: the one place where errors become
 * HTTP. A 5xx answer never carries the original message, which may hold SQL or SDK text.
 */
export function toErrorResponse(error: unknown): { status: number; code: ErrorCode; body: ErrorBody | OAuthErrorBody } {
  const { code, message } = classify(error)
  const entry: { status: number; oauthError?: string } = errorCodes[code]
  const clientMessage = entry.status >= 500 ? genericMessage(code) : message
  const body = entry.oauthError
    ? { error: entry.oauthError, error_description: clientMessage }
    : { error: code, message: clientMessage }
  return { status: entry.status, code, body }
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, code, body } = toErrorResponse(error)
    if (status >= 500) request.log.error({ err: error, code }, 'request failed')
    else request.log.info({ code, reason: 'message' in body ? body.message : body.error_description }, 'request rejected')
    return reply.status(status).send(body)
  })
}

/**
 * Responds to every error of an OAuth 2.0 endpoint with an OAuth error body, keeping the status. Codes
 * without an OAuth error of their own (a wrong content type, a malformed form) become
 * `invalid_request`, and failures of the service `server_error`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function registerOAuthErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, code, body } = toErrorResponse(error)
    if (status >= 500) request.log.error({ err: error, code }, 'request failed')
    const oauthBody = 'error_description' in body ? body : toOAuthBody(status, code, body.message, request)
    if (status < 500) request.log.info({ code, reason: oauthBody.error_description }, 'request rejected')
    return reply.status(status).send(oauthBody)
  })
}

function toOAuthBody(status: number, code: ErrorCode, message: string, request: FastifyRequest): OAuthErrorBody {
  if (status >= 500) return { error: 'server_error', error_description: message }
  if (code === 'ERR_REQUEST_MEDIA_TYPE') {
    const contentType = JSON.stringify(request.headers['content-type'] ?? '')
    return { error: 'invalid_request', error_description: `content-type ${contentType} is not supported; send application/x-www-form-urlencoded` }
  }
  return { error: 'invalid_request', error_description: message }
}

export async function notFoundHandler(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const body: ErrorBody = {
    error: 'ERR_ROUTE_NOT_FOUND',
    message: `no route for ${request.method} ${request.url.split('?')[0]}`,
  }
  return reply.status(404).send(body)
}

function classify(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message }
  if (isDatabaseUnavailable(error)) return { code: 'ERR_DATABASE_UNAVAILABLE', message: '' }
  const fastifyError = error as Partial<FastifyError> & { validation?: ValidationIssue[]; validationContext?: string }
  if (Array.isArray(fastifyError.validation)) {
    return { code: 'ERR_REQUEST_INVALID', message: describeValidation(fastifyError.validation, fastifyError.validationContext) }
  }
  const byCode = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined
  if (byCode) return { code: byCode, message: lowerFirst(fastifyError.message ?? '') }
  const status = fastifyError.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { code: statusCodes[status] ?? 'ERR_REQUEST_MALFORMED', message: lowerFirst(fastifyError.message ?? '') }
  }
  return { code: 'ERR_INTERNAL', message: '' }
}

/**
 * Describes the first three problems of a failed validation. A union of literals fails with one
 * `const` issue per literal and then `anyOf`, which become one message listing the allowed values.
 */
function describeValidation(issues: ValidationIssue[], context = 'body'): string {
  const messages: string[] = []
  const literals = new Map<string, unknown[]>()
  for (const issue of issues) {
    const path = [context, ...issue.instancePath.split('/').filter(Boolean)].join('.')
    if (issue.keyword === 'const') {
      literals.set(path, [...(literals.get(path) ?? []), issue.params.allowedValue])
    } else if (issue.keyword === 'anyOf' && literals.has(path)) {
      messages.push(`invalid field "${path}": ${allowedValues(literals.get(path)!)}`)
      literals.delete(path)
    } else if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
      messages.push(`invalid field "${path}": ${allowedValues(issue.params.allowedValues)}`)
    } else if (issue.keyword === 'required') {
      messages.push(`missing required field "${path}.${String(issue.params.missingProperty)}"`)
    } else if (issue.keyword === 'additionalProperties') {
      messages.push(`unknown field "${path}.${String(issue.params.additionalProperty)}"`)
    } else {
      messages.push(`invalid field "${path}": ${issue.message ?? 'does not match the schema'}`)
    }
  }
  for (const [path, values] of literals) messages.push(`invalid field "${path}": ${allowedValues(values)}`)
  return messages.slice(0, 3).join('; ')
}

function allowedValues(values: readonly unknown[]): string {
  const listed = values.map((value) => JSON.stringify(value))
  return listed.length === 1 ? `must be ${listed[0]}` : `must be one of ${listed.join(', ')}`
}

function genericMessage(code: ErrorCode): string {
  return code === 'ERR_DATABASE_UNAVAILABLE'
    ? 'the database is unavailable; retry later'
    : 'internal error; the service log has the details under the request id'
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}
