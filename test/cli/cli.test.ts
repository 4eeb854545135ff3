import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { createServer } from 'node:net'
import t, { type Test } from 'tap'
import { runCli, spawnCli } from '../helpers/cli.js'
import { createPostgresDatabase } from '../helpers/databases.js'

const freshDir = () => mkdtempSync(join(tmpdir(), 'dcp-cli-'))

t.test('help exits 0 and lists the commands', async (t) => {
  const result = await runCli(['--help'])
  t.equal(result.code, 0)
  t.match(result.stdout, /serve/)
  t.match(result.stdout, /migrate/)
  t.match(result.stdout, /Exit codes: 0 success, 1 failure, 64 usage error, 78 invalid configuration/)
  const serveHelp = await runCli(['serve', '--help'])
  t.equal(serveHelp.code, 0)
  t.match(serveHelp.stdout, /Usage: dcp-identity serve/)
})

t.test('unknown command exits 64', async (t) => {
  const result = await runCli(['frobnicate'])
  t.equal(result.code, 64)
  t.match(result.stderr, /unknown command 'frobnicate'/)
})

t.test('invalid configuration exits 78 naming the variable', async (t) => {
  const result = await runCli(['serve'], { PUBLIC_PORT: 'eighty', DATA_DIR: freshDir() })
  t.equal(result.code, 78)
  t.equal(
    result.stderr,
    'dcp-identity: invalid configuration:\n  PUBLIC_PORT: "eighty" is not an integer; expected an integer from 0 to 65535\n',
  )
})

t.test('server database without admin token exits 78', async (t) => {
  const result = await runCli(['serve'], { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x' })
  t.equal(result.code, 78)
  t.match(result.stderr, /ADMIN_TOKEN: missing; with DATABASE_URL set, expected ADMIN_TOKEN or ADMIN_TOKEN_FILE/)
})

t.test('migrate on the embedded database', async (t) => {
  const dataDir = freshDir()
  const first = await runCli(['migrate'], { DATA_DIR: dataDir })
  t.equal(first.code, 0, first.stderr)
  t.match(first.stdout, /^applied 1 participants\n/)
  const second = await runCli(['migrate'], { DATA_DIR: dataDir })
  t.equal(second.code, 0)
  t.match(second.stdout, /^schema is up to date at version \d+\n$/)
})

t.test('migrate on PostgreSQL', { skip: !process.env.DATABASE_URL && 'DATABASE_URL not set' }, async (t) => {
  const url = await createPostgresDatabase(t)
  const result = await runCli(['migrate'], { DATABASE_URL: url, ADMIN_TOKEN: 'x'.repeat(32) })
  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, /schema migrated to version \d+/)
})

t.test('migrate against an unreachable database exits 1', async (t) => {
  const result = await runCli(['migrate'], { DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x' })
  t.equal(result.code, 1)
  t.match(result.stderr, /^dcp-identity: .*ECONNREFUSED/)
})

t.test('serve with no settings: embedded database, generated admin token, SIGTERM stops it', async (t) => {
  const dataDir = freshDir()
  const child = spawnCli(['serve'], { DATA_DIR: dataDir, PUBLIC_PORT: '0', INTERNAL_PORT: '0', PUBLIC_HOST: '127.0.0.1' })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  t.teardown(() => child.kill('SIGKILL'))

  const started = await waitFor(() => /"msg":"dcp-identity started"/.test(output), exited)
  t.ok(started, 'start log written')
  const startLine = JSON.parse(output.split('\n').find((line) => line.includes('dcp-identity started'))!)
  const ready = await fetch(`${startLine.internalUrl}/health/ready`)
  t.equal(ready.status, 200)

  const tokenFile = join(dataDir, 'admin-token')
  t.equal(statSync(tokenFile).mode & 0o777, 0o600)
  const token = readFileSync(tokenFile, 'utf8').trim()
  t.notMatch(output, token, 'the token never reaches the log')
  const participants = await fetch(`${startLine.internalUrl}/v1/participants`, { headers: { authorization: `Bearer ${token}` } })
  t.equal(participants.status, 200)

  // A second process on the same data folder would lose or corrupt data, so it must stop at once.
  const concurrent = await runCli(['migrate'], { DATA_DIR: dataDir })
  t.equal(concurrent.code, 1)
  t.match(concurrent.stderr, `the embedded database in "${join(dataDir, 'pglite')}" is in use by process ${child.pid}`)

  child.kill('SIGTERM')
  t.equal(await exited, 0)
  t.notOk(existsSync(join(dataDir, 'pglite', 'dcp-identity.lock')), 'the lock is released at stop')
  const after = await runCli(['migrate'], { DATA_DIR: dataDir })
  t.equal(after.code, 0, after.stderr)
  t.match(output, /"signal":"SIGTERM"/)
  t.match(output, /"msg":"dcp-identity stopped"/)
})

t.test('serve on a port in use says which port and what to do', async (t) => {
  const blocker = createServer()
  blocker.listen(0, '127.0.0.1')
  await once(blocker, 'listening')
  t.teardown(() => blocker.close())
  const port = (blocker.address() as { port: number }).port
  const result = await runCli(['serve'], { DATA_DIR: freshDir(), PUBLIC_HOST: '127.0.0.1', PUBLIC_PORT: String(port), INTERNAL_PORT: '0' })
  t.equal(result.code, 1)
  t.match(result.stderr, `dcp-identity: port ${port} on 127.0.0.1 is in use by another process; stop it, or choose other ports with PUBLIC_PORT and INTERNAL_PORT`)
})

/** Starts `serve` on a fresh embedded database and returns its start log line and its thread count. */
async function startedServe(t: Test, env: Record<string, string>): Promise<{ startLine: Record<string, unknown>; threads: number }> {
  const child = spawnCli(['serve'], { DATA_DIR: freshDir(), PUBLIC_PORT: '0', INTERNAL_PORT: '0', PUBLIC_HOST: '127.0.0.1', ...env })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  t.teardown(() => child.kill('SIGKILL'))
  t.ok(await waitFor(() => /"msg":"dcp-identity started"/.test(output), exited), 'start log written')
  const startLine = JSON.parse(output.split('\n').find((line) => line.includes('dcp-identity started'))!)
  // The docs page is read from files with asynchronous fs calls, which start libuv's pool.
  t.equal((await fetch(`${startLine.internalUrl}/docs/static/index.html`)).status, 200)
  return { startLine, threads: readdirSync(`/proc/${child.pid}/task`).length }
}

// The log line reads the setting, and the thread counts show that libuv and V8 read the same value.
const poolSettings = [
  { pool: 'thread pool', field: 'threadPoolSize', setting: 'UV_THREADPOOL_SIZE=4', env: (size: number) => ({ UV_THREADPOOL_SIZE: String(size) }) },
  { pool: 'V8 thread pool', field: 'v8PoolSize', setting: '--v8-pool-size=4', env: (size: number) => ({ UV_THREADPOOL_SIZE: '1', NODE_OPTIONS: `--v8-pool-size=${size}` }) },
]

for (const { pool, field, setting, env } of poolSettings) {
  t.test(`serve: ${pool} size`, { skip: process.platform !== 'linux' && 'threads are counted in /proc' }, async (t) => {
    const oneThread = await startedServe(t, env(1))
    const fourThreads = await startedServe(t, env(4))
    t.equal(oneThread.startLine[field], 1)
    t.equal(fourThreads.startLine[field], 4)
    t.equal(
      fourThreads.threads - oneThread.threads,
      3,
      `three more threads with ${setting} (${oneThread.threads} and ${fourThreads.threads})`,
    )
  })
}

async function waitFor(condition: () => boolean, exited: Promise<unknown>): Promise<boolean> {
  let done = false
  void exited.then(() => (done = true))
  for (let i = 0; i < 300 && !done; i++) {
    if (condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return condition()
}
