import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config/config.js'
import { resolveMasterKey } from '../../src/keys/master-key.js'
import { createLogger } from '../../src/observability/logger.js'

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

const hexKey = '0f'.repeat(32)
const base64Key = Buffer.from(hexKey, 'hex').toString('base64')

t.test('defaults select local custody without KMS', async (t) => {
  const { keys } = loadConfig({})
  t.same(keys, { defaultCustody: 'local', cacheTtlSeconds: 10 })
})

t.test('master key as hex or base64', async (t) => {
  t.same(loadConfig({ MASTER_KEY: hexKey }).keys.masterKey, Buffer.from(hexKey, 'hex'))
  t.same(loadConfig({ MASTER_KEY: base64Key }).keys.masterKey, Buffer.from(hexKey, 'hex'))
  t.same(loadConfig({ MASTER_KEY: base64Key.replace(/=$/, '') }).keys.masterKey, Buffer.from(hexKey, 'hex'))
})

t.test('KMS settings with defaults', async (t) => {
  const { keys } = loadConfig({ AWS_REGION: 'eu-central-1' })
  t.same(keys.kms, {
    region: 'eu-central-1',
    timeoutMs: 3000,
    maxAttempts: 3,
    instanceTag: 'dcp-identity',
    aliasPrefix: 'alias/dcp-identity',
    deletionWindowDays: 30,
  })
  const explicit = loadConfig({ AWS_REGION: 'eu-central-1', KMS_REGION: 'us-east-1', KMS_ENDPOINT: 'http://127.0.0.1:4599' })
  t.equal(explicit.keys.kms?.region, 'us-east-1', 'KMS_REGION wins over AWS_REGION')
  t.equal(explicit.keys.kms?.endpoint, 'http://127.0.0.1:4599')
})

const cases: Array<[string, Record<string, string>, string]> = [
  ['short master key', { MASTER_KEY: 'abcd' }, 'MASTER_KEY: the value has 4 characters; expected 32 bytes as 64 hex characters or 44 base64 characters'],
  ['unknown custody', { KEY_CUSTODY: 'vault' }, 'KEY_CUSTODY: "vault" is not allowed; expected one of local, aws-kms, kms-envelope'],
  ['aws-kms without region', { KEY_CUSTODY: 'aws-kms' }, 'KMS_REGION: missing; KEY_CUSTODY=aws-kms needs KMS_REGION or AWS_REGION'],
  ['envelope without key', { KEY_CUSTODY: 'kms-envelope', KMS_REGION: 'us-east-1' }, 'KMS_ENVELOPE_KEY_ID: missing; KEY_CUSTODY=kms-envelope needs the id of a symmetric KMS key'],
  ['endpoint without region', { KMS_ENDPOINT: 'http://127.0.0.1:4599' }, 'KMS_REGION: missing; KMS_ENDPOINT is set, so KMS_REGION or AWS_REGION is needed'],
  ['deletion window too short', { KMS_DELETION_WINDOW_DAYS: '6' }, 'KMS_DELETION_WINDOW_DAYS: 6 is out of range; expected an integer from 7 to 30'],
  ['bad region', { KMS_REGION: 'Frankfurt' }, 'KMS_REGION: "Frankfurt" is not an AWS region; expected a name such as eu-central-1'],
  ['bad instance tag', { KMS_INSTANCE_TAG: 'a b' }, 'KMS_INSTANCE_TAG: "a b" is invalid; expected 1 to 64 letters, digits, _ or -'],
  ['reserved alias prefix', { KMS_ALIAS_PREFIX: 'alias/aws/x' }, 'KMS_ALIAS_PREFIX: "alias/aws/x" is invalid; expected "alias/" followed by letters, digits, /, _ or -, not starting with "alias/aws"'],
  ['endpoint with path', { KMS_REGION: 'us-east-1', KMS_ENDPOINT: 'http://127.0.0.1:4599/kms' }, 'KMS_ENDPOINT: "http://127.0.0.1:4599/kms" has a path; expected scheme, host and port only'],
]

for (const [name, env, expected] of cases) {
  t.test(`rejects ${name}`, async (t) => {
    t.same(problemsOf(env), [expected])
  })
}

t.test('master key value is never echoed', async (t) => {
  const problems = problemsOf({ MASTER_KEY: `${hexKey}00` })
  t.equal(problems.length, 1)
  t.notMatch(problems[0], hexKey)
})

t.test('master key file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dcp-master-'))
  const good = join(dir, 'key')
  writeFileSync(good, `${hexKey}\n`)
  t.same(loadConfig({ MASTER_KEY_FILE: good }).keys.masterKey, Buffer.from(hexKey, 'hex'))
  t.same(problemsOf({ MASTER_KEY_FILE: join(dir, 'missing') }), [`MASTER_KEY_FILE: cannot use "${join(dir, 'missing')}" (ENOENT)`])
})

t.test('embedded mode generates a master key once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dcp-master-'))
  const lines: string[] = []
  const logger = createLogger('info', { write: (line: string) => void lines.push(line) } as unknown as NodeJS.WritableStream)
  const config = loadConfig({ DATA_DIR: dir })

  const generated = resolveMasterKey(config, logger)!
  const path = join(dir, 'master-key')
  t.equal(generated.length, 32)
  t.equal(statSync(path).mode & 0o777, 0o600)
  t.equal(readFileSync(path, 'utf8').trim(), generated.toString('hex'))
  t.same(resolveMasterKey(config, logger), generated, 'the second start reads the same key')

  const log = lines.join('')
  t.match(log, path)
  t.notMatch(log, generated.toString('hex'), 'the key never reaches the log')
})

t.test('DATABASE_URL without master key stops the start', async (t) => {
  const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x' })
  t.throws(
    () => resolveMasterKey(config, createLogger('silent')),
    new ConfigError([
      'MASTER_KEY: missing; with DATABASE_URL set and KEY_CUSTODY=local, expected MASTER_KEY or MASTER_KEY_FILE with 32 bytes as 64 hex characters or base64',
    ]),
  )
  const kmsOnly = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x', KEY_CUSTODY: 'aws-kms', KMS_REGION: 'us-east-1' })
  t.equal(resolveMasterKey(kmsOnly, createLogger('silent')), undefined, 'KMS custody needs no master key')
})
