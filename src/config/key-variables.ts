import { readFileSync } from 'node:fs'
import { keyCustodies, type KeyCustody } from '../keys/key.js'
import * as parse from './parsers.js'
import { variable, type SectionReader } from './variable.js'

/** Variables of key custody: master key, AWS KMS client and KMS key settings. */
export const keyVariables = {
  KEY_CUSTODY: variable({
    parse: parse.oneOf(keyCustodies),
    default: 'local' as KeyCustody,
    unit: 'local, aws-kms or kms-envelope',
    description:
      'Custody of new keys when a request names none: local (encrypted under MASTER_KEY), aws-kms (private key never leaves KMS) or kms-envelope (encrypted under KMS_ENVELOPE_KEY_ID, signs in memory).',
  }),
  MASTER_KEY: variable({
    parse: masterKey,
    unit: '32 bytes as 64 hex characters or base64',
    secret: true,
    description:
      'AES-256-GCM key that encrypts local private keys. Without it and MASTER_KEY_FILE, the embedded mode generates one into DATA_DIR/master-key; with DATABASE_URL set and KEY_CUSTODY=local, the start stops.',
  }),
  MASTER_KEY_FILE: variable({
    parse: parse.nonEmpty,
    unit: 'path',
    description: 'File holding MASTER_KEY, such as a mounted Kubernetes Secret. Ignored when MASTER_KEY is set.',
  }),
  KEY_CACHE_TTL_SECONDS: variable({
    parse: parse.integer(0, 300),
    default: 10,
    unit: 'seconds',
    description:
      'Time a default-key lookup is cached. Other replicas drop it when PostgreSQL notifies them of a key change, and within this time while notifications do not arrive. 0 turns the cache off.',
  }),
  KMS_REGION: variable({
    parse: awsRegion,
    unit: 'AWS region',
    description: 'Region of the KMS client. Unset: AWS_REGION. Without either, KMS custody is unavailable.',
  }),
  AWS_REGION: variable({
    parse: awsRegion,
    unit: 'AWS region',
    description: 'Standard AWS SDK region, used for KMS when KMS_REGION is unset.',
  }),
  KMS_ENDPOINT: variable({
    parse: parse.httpUrl({ allowPath: false }),
    unit: 'URL',
    description: "KMS endpoint override, such as a local emulator. Unset: the AWS SDK's endpoint for the region.",
  }),
  KMS_TIMEOUT_MS: variable({
    parse: parse.integer(100, 60_000),
    default: 3000,
    unit: 'milliseconds',
    description: 'Connection and response timeout of one KMS request attempt.',
  }),
  KMS_MAX_ATTEMPTS: variable({
    parse: parse.integer(1, 10),
    default: 3,
    unit: 'attempts',
    description: 'Attempts per KMS call, the first included; throttled and failed attempts are retried with backoff.',
  }),
  KMS_INSTANCE_TAG: variable({
    parse: instanceTag,
    default: 'dcp-identity',
    unit: 'letters, digits, _ and -',
    description:
      'Value of the dcp-identity:instance tag and part of the alias of every KMS key this instance creates, so an IAM policy can limit it to its own keys.',
  }),
  KMS_ALIAS_PREFIX: variable({
    parse: aliasPrefix,
    default: 'alias/dcp-identity',
    unit: 'KMS alias name',
    description: 'Prefix of KMS key aliases: <prefix>/<instance tag>/<participant id>/<key fragment>.',
  }),
  KMS_DELETION_WINDOW_DAYS: variable({
    parse: parse.integer(7, 30),
    default: 30,
    unit: 'days',
    description: 'Waiting period of ScheduleKeyDeletion when an aws-kms key is revoked.',
  }),
  KMS_ENVELOPE_KEY_ID: variable({
    parse: parse.nonEmpty,
    unit: 'KMS key id, ARN or alias',
    description: 'Symmetric KMS key that encrypts kms-envelope private keys. Required when KEY_CUSTODY=kms-envelope.',
  }),
} as const

/** Settings of the KMS client and of the keys it creates; present when a region is configured. */
export interface KmsConfig {
  region: string
  endpoint?: string
  timeoutMs: number
  maxAttempts: number
  instanceTag: string
  aliasPrefix: string
  deletionWindowDays: number
  envelopeKeyId?: string
}

export interface KeyConfig {
  defaultCustody: KeyCustody
  /** From MASTER_KEY or MASTER_KEY_FILE; undefined means the start decides. */
  masterKey?: Buffer
  cacheTtlSeconds: number
  kms?: KmsConfig
}

export function readKeyConfig(read: SectionReader<typeof keyVariables>, problems: string[]): KeyConfig {
  const defaultCustody = read('KEY_CUSTODY') ?? 'local'
  const masterKey = read('MASTER_KEY') ?? readMasterKeyFile(read('MASTER_KEY_FILE'), problems)
  const kms = readKmsConfig(read, problems)

  if (defaultCustody !== 'local' && kms === undefined) {
    problems.push(`KMS_REGION: missing; KEY_CUSTODY=${defaultCustody} needs KMS_REGION or AWS_REGION`)
  }
  if (defaultCustody === 'kms-envelope' && kms !== undefined && kms.envelopeKeyId === undefined) {
    problems.push('KMS_ENVELOPE_KEY_ID: missing; KEY_CUSTODY=kms-envelope needs the id of a symmetric KMS key')
  }
  return {
    defaultCustody,
    ...(masterKey === undefined ? {} : { masterKey }),
    cacheTtlSeconds: read('KEY_CACHE_TTL_SECONDS') ?? 10,
    ...(kms === undefined ? {} : { kms }),
  }
}

function readKmsConfig(read: SectionReader<typeof keyVariables>, problems: string[]): KmsConfig | undefined {
  const region = read('KMS_REGION') ?? read('AWS_REGION')
  const endpoint = read('KMS_ENDPOINT')
  const envelopeKeyId = read('KMS_ENVELOPE_KEY_ID')
  // Read every variable even without a region, so invalid values are reported either way.
  const settings = {
    timeoutMs: read('KMS_TIMEOUT_MS') ?? 3000,
    maxAttempts: read('KMS_MAX_ATTEMPTS') ?? 3,
    instanceTag: read('KMS_INSTANCE_TAG') ?? 'dcp-identity',
    aliasPrefix: read('KMS_ALIAS_PREFIX') ?? 'alias/dcp-identity',
    deletionWindowDays: read('KMS_DELETION_WINDOW_DAYS') ?? 30,
  }
  if (region === undefined) {
    if (endpoint !== undefined || envelopeKeyId !== undefined) {
      const name = endpoint !== undefined ? 'KMS_ENDPOINT' : 'KMS_ENVELOPE_KEY_ID'
      problems.push(`KMS_REGION: missing; ${name} is set, so KMS_REGION or AWS_REGION is needed`)
    }
    return undefined
  }
  return {
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...settings,
    ...(envelopeKeyId === undefined ? {} : { envelopeKeyId }),
  }
}

/** Parses 32 bytes written as 64 hex characters or as base64 (standard or URL-safe alphabet). */
export function masterKey(raw: string): Buffer {
  const value = raw.trim()
  const bytes = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(value)
      ? Buffer.from(value, 'base64')
      : undefined
  if (bytes?.length !== 32) {
    // The message gives only the length, never the value, because the value is secret.
    throw new TypeError(
      `the value has ${value.length} characters; expected 32 bytes as 64 hex characters or 44 base64 characters`,
    )
  }
  return bytes
}

function readMasterKeyFile(path: string | undefined, problems: string[]): Buffer | undefined {
  if (path === undefined) return undefined
  try {
    return masterKey(readFileSync(path, 'utf8'))
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    problems.push(`MASTER_KEY_FILE: cannot use "${path}" (${reason})`)
    return undefined
  }
}

function awsRegion(raw: string): string {
  const value = raw.trim()
  if (!/^[a-z]{2}(-[a-z0-9]+)+-\d+$/.test(value)) {
    throw new TypeError(`"${raw}" is not an AWS region; expected a name such as eu-central-1`)
  }
  return value
}

function instanceTag(raw: string): string {
  const value = raw.trim()
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
    throw new TypeError(`"${raw}" is invalid; expected 1 to 64 letters, digits, _ or -`)
  }
  return value
}

function aliasPrefix(raw: string): string {
  const value = raw.trim().replace(/\/+$/, '')
  if (!/^alias\/[A-Za-z0-9/_-]{1,150}$/.test(value) || /^alias\/aws(\/|$)/.test(value)) {
    throw new TypeError(
      `"${raw}" is invalid; expected "alias/" followed by letters, digits, /, _ or -, not starting with "alias/aws"`,
    )
  }
  return value
}
