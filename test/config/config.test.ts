import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config/config.js'

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

t.test('defaults select the embedded database', async (t) => {
  const config = loadConfig({})
  t.same(config.database, { kind: 'embedded', dataDir: './data' })
  t.equal(config.publicListener.port, 8080)
  t.equal(config.internalListener.port, 8081)
  t.equal(config.internalListener.host, '127.0.0.1')
  t.equal(config.adminToken, undefined)
  t.equal(config.rateLimit.max, 1200)
})

t.test('DATABASE_URL selects PostgreSQL', async (t) => {
  const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x', DATABASE_POOL_MAX: '4' })
  t.same(config.database, { kind: 'postgres', url: 'postgres://u:p@db:5432/x', poolMax: 4 })
})

const cases: Array<[string, Record<string, string>, string]> = [
  ['port not a number', { PUBLIC_PORT: 'abc' }, 'PUBLIC_PORT: "abc" is not an integer; expected an integer from 0 to 65535'],
  ['port out of range', { INTERNAL_PORT: '70000' }, 'INTERNAL_PORT: 70000 is out of range; expected an integer from 0 to 65535'],
  ['same ports', { PUBLIC_PORT: '9000', INTERNAL_PORT: '9000' }, 'INTERNAL_PORT: 9000 equals PUBLIC_PORT; expected two different ports'],
  ['bad boolean', { TRUST_PROXY: 'maybe' }, 'TRUST_PROXY: "maybe" is not a boolean; expected true or false'],
  ['bad log level', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL: "loud" is not allowed; expected one of fatal, error, warn, info, debug, trace, silent'],
  ['base URL without scheme', { PUBLIC_BASE_URL: 'example.com' }, 'PUBLIC_BASE_URL: "example.com" is not a URL; expected an absolute http or https URL'],
  ['base URL with ftp', { PUBLIC_BASE_URL: 'ftp://example.com' }, 'PUBLIC_BASE_URL: "ftp://example.com" has scheme "ftp:"; expected http or https'],
  ['short admin token', { ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN: the value has 5 characters; expected at least 32'],
  ['database URL scheme', { DATABASE_URL: 'mysql://u:p@h/db' }, 'DATABASE_URL: the scheme is "mysql:"; expected postgres://user:password@host:5432/database'],
]

for (const [name, env, expected] of cases) {
  t.test(`rejects ${name}`, async (t) => {
    t.same(problemsOf(env), [expected])
  })
}

t.test('reports every bad variable at once', async (t) => {
  const problems = problemsOf({ PUBLIC_PORT: 'x', RATE_LIMIT_MAX: '-1' })
  t.equal(problems.length, 2)
  t.match(problems[0], /^PUBLIC_PORT: /)
  t.match(problems[1], /^RATE_LIMIT_MAX: -1 is out of range/)
})

t.test('secret values are not echoed', async (t) => {
  const secret = 'postgresql-is-not-a-scheme://user:hunter2@host/db'
  const problems = problemsOf({ DATABASE_URL: secret, ADMIN_TOKEN: 'hunter2' })
  t.notMatch(problems.join('\n'), /hunter2/)
})

t.test('admin token file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dcp-config-'))
  const good = join(dir, 'token')
  writeFileSync(good, `${'a'.repeat(40)}\n`)
  t.equal(loadConfig({ ADMIN_TOKEN_FILE: good }).adminToken, 'a'.repeat(40))

  const short = join(dir, 'short')
  writeFileSync(short, 'abc')
  t.same(problemsOf({ ADMIN_TOKEN_FILE: short }), [
    `ADMIN_TOKEN_FILE: the token in "${short}" has 3 characters; expected at least 32`,
  ])
  t.same(problemsOf({ ADMIN_TOKEN_FILE: join(dir, 'missing') }), [
    `ADMIN_TOKEN_FILE: cannot read "${join(dir, 'missing')}" (ENOENT); expected a readable file with the token`,
  ])
  t.equal(loadConfig({ ADMIN_TOKEN: 'b'.repeat(32), ADMIN_TOKEN_FILE: short }).adminToken, 'b'.repeat(32))
})
