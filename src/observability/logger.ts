import { pino, type Logger, type LoggerOptions } from 'pino'

/** Paths whose values never reach a log line: credentials, tokens and key material. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.client_secret',
  '*.clientSecret',
  '*.secret',
  '*.token',
  '*.access_token',
  '*.accessToken',
  '*.adminToken',
  '*.apiKey',
  '*.privateKey',
  '*.privateJwk',
  '*.password',
  '*.masterKey',
]

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { service: 'dcp-identity' },
  }
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level))
}

export type { Logger }
