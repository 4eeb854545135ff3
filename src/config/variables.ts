import { didVariables } from './did-variables.js'
import { dimVariables } from './dim-variables.js'
import { credentialRequestVariables } from './credential-request-variables.js'
import { issuerVariables } from './issuer-variables.js'
import { keyVariables } from './key-variables.js'
import * as parse from './parsers.js'
import { offerVariables } from './offer-variables.js'
import { statusListVariables } from './status-list-variables.js'
import { tokenVariables } from './token-variables.js'
import { variable } from './variable.js'

export const serviceVariables = {
  PUBLIC_PORT: variable({
    parse: parse.port,
    default: 8080,
    unit: 'port',
    description: 'Port of the public listener: DID documents and the DCP endpoints.',
  }),
  PUBLIC_HOST: variable({
    parse: parse.nonEmpty,
    default: '0.0.0.0',
    unit: 'address',
    description: 'Address the public listener binds to.',
  }),
  INTERNAL_PORT: variable({
    parse: parse.port,
    default: 8081,
    unit: 'port',
    description: 'Port of the internal listener: admin API, STS, docs, metrics and health.',
  }),
  INTERNAL_HOST: variable({
    parse: parse.nonEmpty,
    default: '127.0.0.1',
    unit: 'address',
    description:
      'Address the internal listener binds to. Set 0.0.0.0 in a pod so the connector beside it can reach the STS.',
  }),
  PUBLIC_BASE_URL: variable({
    parse: parse.httpUrl({ allowPath: true }),
    default: 'http://localhost:8080',
    unit: 'URL',
    description: 'External URL of the public listener, used to build service endpoints in DID documents.',
  }),
  DATABASE_URL: variable({
    parse: parse.postgresUrl,
    unit: 'URL',
    secret: true,
    description: 'PostgreSQL connection URL. Unset: an embedded PostgreSQL (PGlite) stores data under DATA_DIR.',
  }),
  DATABASE_POOL_MAX: variable({
    parse: parse.integer(1, 200),
    default: 10,
    unit: 'connections',
    description: 'Maximum connections in the PostgreSQL pool. Each replica opens one more, outside the pool, to listen for credential and policy changes.',
  }),
  DATA_DIR: variable({
    parse: parse.nonEmpty,
    default: './data',
    unit: 'path',
    description: 'Folder of the embedded database and of generated development secrets.',
  }),
  ADMIN_TOKEN: variable({
    parse: parse.secret,
    unit: 'string, 32+ characters',
    secret: true,
    description:
      'Bootstrap admin token for the admin API. Without it and ADMIN_TOKEN_FILE, the embedded mode generates one into DATA_DIR/admin-token; with DATABASE_URL set, the start stops.',
  }),
  ADMIN_TOKEN_FILE: variable({
    parse: parse.nonEmpty,
    unit: 'path',
    description: 'File holding the admin token, such as a mounted Kubernetes Secret. Ignored when ADMIN_TOKEN is set.',
  }),
  LOG_LEVEL: variable({
    parse: parse.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    default: 'info',
    unit: 'level',
    description: 'pino log level.',
  }),
  BODY_LIMIT_BYTES: variable({
    parse: parse.integer(1024, 64 * 1024 * 1024),
    default: 1024 * 1024,
    unit: 'bytes',
    description: 'Largest request body accepted on either listener; larger bodies get 413.',
  }),
  RATE_LIMIT_MAX: variable({
    parse: parse.integer(0, 1_000_000),
    default: 1200,
    unit: 'requests per window',
    description: 'Requests one client address may send to the public listener per window; 0 turns the limit off.',
  }),
  RATE_LIMIT_WINDOW_SECONDS: variable({
    parse: parse.integer(1, 86_400),
    default: 60,
    unit: 'seconds',
    description: 'Length of the rate-limit window.',
  }),
  TRUST_PROXY: variable({
    parse: parse.boolean,
    default: false,
    unit: 'boolean',
    description:
      'Take the client address from X-Forwarded-For, as needed behind a load balancer, so rate limits apply per client.',
  }),
  SEED_FILE: variable({
    parse: parse.nonEmpty,
    unit: 'path',
    description:
      'YAML or JSON seed applied at every start, after migrations: participants, keys, services, STS clients, trusted issuers. A bad file stops the start.',
  }),
  SHUTDOWN_TIMEOUT_SECONDS: variable({
    parse: parse.integer(1, 600),
    default: 10,
    unit: 'seconds',
    description: 'Time that in-flight requests get to finish after SIGTERM or SIGINT before connections are closed.',
  }),
} as const

/** Every variable the service reads, by section. */
export const variables = {
  ...serviceVariables,
  ...keyVariables,
  ...tokenVariables,
  ...didVariables,
  ...issuerVariables,
  ...statusListVariables,
  ...offerVariables,
  ...dimVariables,
  ...credentialRequestVariables,
} as const

export type Variables = typeof variables
export type VariableName = keyof Variables
