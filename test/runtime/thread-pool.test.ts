import { execFile, execFileSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { ThreadPoolMonitor } from '../../src/runtime/thread-pool.js'

t.test('monitor: lookups on every thread', async (t) => {
  const pool = new ThreadPoolMonitor(2)
  let finishFirst!: () => void
  let failSecond!: (error: Error) => void
  const first = pool.hold(() => new Promise<void>((resolve) => (finishFirst = resolve)))
  t.notOk(pool.saturated, 'one of two threads held')
  const second = pool.hold(() => new Promise<void>((_resolve, reject) => (failSecond = reject)))
  t.ok(pool.saturated, 'both threads held')
  failSecond(new Error('no answer'))
  await t.rejects(second, /no answer/, 'the work’s error reaches the caller')
  t.notOk(pool.saturated, 'work that failed lets go of its thread')
  finishFirst()
  await first
  t.equal(await pool.hold(async () => 'answer'), 'answer', 'the work’s value reaches the caller')
  t.notOk(pool.saturated)
})

t.test('monitor: tracked work that stalls', async (t) => {
  let now = 1000
  const pool = new ThreadPoolMonitor(1, () => now)
  const finishers: Array<() => void> = []
  const queue = () => pool.track(new Promise<void>((resolve) => finishers.push(resolve)))
  const first = queue()
  const second = queue()
  now += 50
  t.notOk(pool.saturated, 'not yet after 50 ms without progress')
  now += 1
  t.ok(pool.saturated, 'after more than 50 ms without progress')
  finishers[0]!()
  await first
  t.notOk(pool.saturated, 'a finished job is progress')
  now += 51
  t.ok(pool.saturated, 'the second job has not finished either')
  finishers[1]!()
  await second
  now += 1000
  t.notOk(pool.saturated, 'an idle pool is not stalled')
  const failed = pool.track(Promise.reject(new Error('sign failed')))
  await t.rejects(failed, /sign failed/, 'the job’s error reaches the caller')
  now += 1000
  t.notOk(pool.saturated, 'a failed job is finished too')
})

const dist = resolve(import.meta.dirname, '../../dist')

/**
 * Runs in a process whose pool has one thread and holds that thread with a real blocking call:
 * opening a FIFO for reading waits on the pool until a writer opens it. In `lookup` mode a system
 * lookup then queues behind it, as one behind a name server that never responds would. The child
 * requests two signatures on the pool, one after the other, reports whether each arrived within
 * 500 ms, and lets go.
 */
const child = `
import { openSync, promises } from 'node:fs'
import { verify, createPublicKey } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
const { threadPool } = await import(${JSON.stringify(`${dist}/runtime/thread-pool.js`)})
const { generateKeyPair, keyObjectSigner } = await import(${JSON.stringify(`${dist}/keys/key-pair.js`)})
const { systemLookup } = await import(${JSON.stringify(`${dist}/did/bounded-lookup.js`)})
const [fifo, mode] = process.argv.slice(-2)
const report = { size: threadPool.size }
const opened = promises.open(fifo, 'r')
const lookup = mode === 'lookup' ? systemLookup('localhost') : undefined
await sleep(50)
report.saturated = threadPool.saturated
const { privateKey, publicJwk } = generateKeyPair('ES256')
const input = Buffer.from('header.payload')
const signer = keyObjectSigner(privateKey, 'ES256')
const signed = signer(input, { onThreadPool: true })
report.whileHeld = await Promise.race([signed.then(() => 'signed'), sleep(500, 'waiting')])
const next = signer(input, { onThreadPool: true })
report.next = await Promise.race([next.then(() => 'signed'), sleep(500, 'waiting')])
openSync(fifo, 'w')
await (await opened).close()
report.lookedUp = lookup === undefined ? undefined : (await lookup).length > 0
report.saturatedAfter = threadPool.saturated
const signature = await signed
const publicKey = createPublicKey({ key: publicJwk, format: 'jwk' })
report.verifies = [signature, await next].every((each) => verify('sha256', input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, each))
console.log(JSON.stringify(report))
`

async function runChild(fifo: string, mode: 'lookup' | 'no lookup') {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', child, fifo, mode], {
    env: { PATH: process.env.PATH, UV_THREADPOOL_SIZE: '1' },
    timeout: 20_000,
  })
  return JSON.parse(stdout) as { size: number; saturated: boolean; whileHeld: string; next: string; lookedUp?: boolean; saturatedAfter: boolean; verifies: boolean }
}

t.test('signer: no wait behind a blocked thread', { skip: process.platform === 'win32' && 'no FIFOs' }, async (t) => {
  const dir = t.testdir()
  const first = join(dir, 'first')
  const second = join(dir, 'second')
  execFileSync('mkfifo', [first, second])

  const behindLookup = await runChild(first, 'lookup')
  t.equal(behindLookup.size, 1)
  t.equal(behindLookup.saturated, true, 'a system lookup counts as holding the one thread')
  t.equal(behindLookup.whileHeld, 'signed', 'signed on the event loop meanwhile')
  t.equal(behindLookup.next, 'signed', 'and so is the next signature')
  t.equal(behindLookup.lookedUp, true, 'the lookup ran once the thread was free')
  t.equal(behindLookup.saturatedAfter, false, 'and let go when it ended')
  t.equal(behindLookup.verifies, true)

  // The same blocked thread without a lookup: nothing counts it, so the first signature queues on
  // the pool, and the next one, once the first has waited for a while, runs on the event loop.
  const noLookup = await runChild(second, 'no lookup')
  t.equal(noLookup.saturated, false)
  t.equal(noLookup.whileHeld, 'waiting', 'the first signature waits for the held thread')
  t.equal(noLookup.next, 'signed', 'the next one does not wait behind it')
  t.equal(noLookup.verifies, true, 'both arrive')
})
