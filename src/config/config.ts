import { readFileSync } from 'node:fs'
import { readDidConfig, type DidConfig } from './did-variables.js'
import { readDimConfig, type DimConfig } from './dim-variables.js'
import { readIssuerConfig, type IssuerConfig } from './issuer-variables.js'
import { readKeyConfig, type KeyConfig } from './key-variables.js'
import { readOfferConfig, type OfferConfig } from './offer-variables.js'
import { readCredentialRequestConfig, type CredentialRequestConfig } from './credential-request-variables.js'
import { readStatusListConfig, type StatusListConfig } from './status-list-variables.js'
import { readTokenConfig, type TokenConfig } from './token-variables.js'
import type { ValueOfVariable } from './variable.js'
import { variables, type VariableName, type Variables } from './variables.js'

type ValueOf<N extends VariableName> = ValueOfVariable<Variables[N]>

export type Environment = Record<string, string | undefined>

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolMax: number }
  | { kind: 'embedded'; dataDir: string }

/** The validated configuration of one process. */
export interface Config {
  publicListener: { host: string; port: number }
  internalListener: { host: string; port: number }
  publicBaseUrl: string
  database: DatabaseConfig
  dataDir: string
  /** Admin token from ADMIN_TOKEN or ADMIN_TOKEN_FILE; unset means the start decides. */
  adminToken?: string
  logLevel: ValueOf<'LOG_LEVEL'>
  bodyLimitBytes: number
  rateLimit: { max: number; windowSeconds: number }
  trustProxy: boolean
  shutdownTimeoutSeconds: number
  /** Seed file applied at start. */
  seedFile?: string
  keys: KeyConfig
  tokens: TokenConfig
  did: DidConfig
  issuer: IssuerConfig
  statusLists: StatusListConfig
  offers: OfferConfig
  dim: DimConfig
  credentialRequests: CredentialRequestConfig
}

/** Raised when environment variables are missing or invalid; the message names each one. */
export class ConfigError extends Error {
  readonly problems: readonly string[]

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/** Reads and validates every variable, reporting all problems at once. */
export function loadConfig(env: Environment = process.env): Config {
  const problems: string[] = []

  function read<N extends VariableName>(name: N): ValueOf<N> | undefined {
    const spec = variables[name] as unknown as { parse: (raw: string) => ValueOf<N>; default?: ValueOf<N> }
    const raw = env[name]
    if (raw === undefined || raw === '') return spec.default
    try {
      return spec.parse(raw)
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`)
      return spec.default
    }
  }

  const databaseUrl = read('DATABASE_URL')
  const dataDir = read('DATA_DIR') ?? './data'
  const adminToken = read('ADMIN_TOKEN') ?? readAdminTokenFile(read('ADMIN_TOKEN_FILE'), problems)

  const config: Config = {
    publicListener: { host: read('PUBLIC_HOST') ?? '0.0.0.0', port: read('PUBLIC_PORT') ?? 8080 },
    internalListener: { host: read('INTERNAL_HOST') ?? '127.0.0.1', port: read('INTERNAL_PORT') ?? 8081 },
    publicBaseUrl: read('PUBLIC_BASE_URL') ?? 'http://localhost:8080',
    database: databaseUrl
      ? { kind: 'postgres', url: databaseUrl, poolMax: read('DATABASE_POOL_MAX') ?? 10 }
      : { kind: 'embedded', dataDir },
    dataDir,
    ...(adminToken === undefined ? {} : { adminToken }),
    logLevel: read('LOG_LEVEL') ?? 'info',
    bodyLimitBytes: read('BODY_LIMIT_BYTES') ?? 1024 * 1024,
    rateLimit: { max: read('RATE_LIMIT_MAX') ?? 1200, windowSeconds: read('RATE_LIMIT_WINDOW_SECONDS') ?? 60 },
    trustProxy: read('TRUST_PROXY') ?? false,
    shutdownTimeoutSeconds: read('SHUTDOWN_TIMEOUT_SECONDS') ?? 10,
    ...(read('SEED_FILE') === undefined ? {} : { seedFile: read('SEED_FILE')! }),
    keys: readKeyConfig(read, problems),
    tokens: readTokenConfig(read),
    did: readDidConfig(read, problems),
    issuer: readIssuerConfig(read, problems),
    statusLists: readStatusListConfig(read),
    offers: readOfferConfig(read),
    dim: readDimConfig(read),
    credentialRequests: readCredentialRequestConfig(read),
  }

  if (config.publicListener.port !== 0 && config.publicListener.port === config.internalListener.port) {
    problems.push(
      `INTERNAL_PORT: ${config.internalListener.port} equals PUBLIC_PORT; expected two different ports`,
    )
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

function readAdminTokenFile(path: string | undefined, problems: string[]): string | undefined {
  if (path === undefined) return undefined
  let content: string
  try {
    content = readFileSync(path, 'utf8').trim()
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'read failed'
    problems.push(`ADMIN_TOKEN_FILE: cannot read "${path}" (${reason}); expected a readable file with the token`)
    return undefined
  }
  if (content.length < 32) {
    problems.push(`ADMIN_TOKEN_FILE: the token in "${path}" has ${content.length} characters; expected at least 32`)
    return undefined
  }
  return content
}
