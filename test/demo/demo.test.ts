import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import t from 'tap'
import { runCli, spawnCli } from '../helpers/cli.js'

interface DemoSummary {
  ok: boolean
  steps: { name: string; ok: boolean; detail: string }[]
}

/** Finds a port whose successor is free too, since the demo's internal listener takes port + 1. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const first = createServer()
    first.listen(0, 'localhost')
    await once(first, 'listening')
    const port = (first.address() as { port: number }).port
    const second = createServer()
    second.listen(port + 1, 'localhost')
    const free = await Promise.race([once(second, 'listening').then(() => true), once(second, 'error').then(() => false)])
    second.close()
    first.close()
    if (free && port < 65534) return port
  }
}

/** Collects a child's standard output, so a test can wait until it contains an expected part. */
function collectOutput(child: ChildProcess) {
  let stdout = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  return {
    text: () => stdout,
    until: (expected: string, matches: (stdout: string) => boolean) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${expected}; output so far:\n${stdout}`)), 100_000)
        const check = () => {
          if (!matches(stdout)) return
          clearTimeout(timer)
          child.stdout!.off('data', check)
          resolve()
        }
        child.stdout!.on('data', check)
        check()
      }),
  }
}

function summaryOf(stdout: string): DemoSummary {
  const lines = stdout.trim().split('\n')
  return JSON.parse(lines[lines.length - 1]!) as DemoSummary
}

t.test('the demo runs the whole data space and every step turns out as expected', async (t) => {
  const port = await freePortPair()
  const { code, stdout, stderr } = await runCli(['demo', '--exit', '--json', '--port', String(port)])
  t.equal(code, 0, `exit code (stderr: ${stderr.slice(-2000)})`)
  const summary = summaryOf(stdout)
  t.ok(summary.ok)
  t.same(
    summary.steps.map((step) => step.name),
    [
      'The seed created the authority, Company X and Company Y',
      'Company X requests its credentials from the authority over DCP',
      'Company Y requests its credentials from the authority over DCP',
      "Company Y's connector authenticates to Company X (DCP 1.0, three Tractus-X scopes)",
      "Company X's connector authenticates to Company Y (DCP 0.8)",
      "Company X's connector obtains a membership presentation for the BPN directory",
      "The authority revokes Company Y's membership",
      "Company Y's next handshake with Company X is rejected",
    ],
  )
  t.ok(summary.steps.every((step) => step.ok), JSON.stringify(summary.steps.filter((step) => !step.ok)))
  t.match(stdout, `did:web:localhost%3A${port}:companyx`)
  t.match(stdout, /MembershipCredential, BpnCredential, DataExchangeGovernanceCredential|MembershipCredential/)
  t.match(summary.steps[7]!.detail, /rejected as expected: .*(revoked|no valid MembershipCredential)/)
  t.match(stdout, `did:web documents are fetched over http for localhost:${port} only`)
})

t.test('a connector that does not trust the authority makes the report name the failing steps', async (t) => {
  const port = await freePortPair()
  const stranger = `did:web:localhost%3A${port}:nobody`
  const { code, stdout } = await runCli(['demo', '--exit', '--json', '--port', String(port), '--trusted-issuer', stranger])
  t.equal(code, 1)
  const summary = summaryOf(stdout)
  t.equal(summary.ok, false)
  const handshake = summary.steps.find((step) => step.name.startsWith("Company Y's connector authenticates"))
  t.equal(handshake?.ok, false)
  t.match(handshake?.detail, `issuer did:web:localhost%3A${port}:authority is not trusted`)
  t.ok(summary.steps.find((step) => step.name.includes('requests its credentials'))?.ok, 'issuance does not depend on the connector trust list')
  t.match(stdout, /steps did not turn out as expected: .*Company Y's connector authenticates to Company X/)
})

t.test('without --exit the demo keeps serving, prints where to look, and stops on SIGINT', async (t) => {
  const port = await freePortPair()
  const child = spawnCli(['demo', '--port', String(port)], {})
  const output = collectOutput(child)
  await output.until('serving notice', (stdout) => stdout.includes('Stop with Ctrl-C'))
  const stdout = output.text()
  const document = await fetch(`http://localhost:${port}/companyy/did.json`)
  t.equal(document.status, 200, 'the data space is still served')
  t.match(stdout, `curl -s http://localhost:${port}/authority/did.json`)
  t.match(stdout, `http://127.0.0.1:${port + 1}/docs`)
  t.match(stdout, `--data-urlencode client_id=did:web:localhost%3A${port}:companyx`, 'the printed STS call URL-encodes the DID')
  child.kill('SIGINT')
  const [code] = (await once(child, 'close')) as [number | null]
  t.equal(code, 0)
  await t.rejects(fetch(`http://localhost:${port}/companyy/did.json`), 'the listener is closed')
})

t.test('Ctrl-C during the steps stops the demo and deletes its data folder', async (t) => {
  const port = await freePortPair()
  const child = spawnCli(['demo', '--port', String(port)], {})
  const output = collectOutput(child)
  await output.until('first step', (stdout) => /^ 1\. /m.test(stdout))
  const stdout = output.text()
  const dataDir = /embedded database in (\S+)/.exec(stdout)?.[1]
  t.ok(dataDir && existsSync(dataDir), 'the data folder exists while the demo runs')
  child.kill('SIGINT')
  const [code] = (await once(child, 'close')) as [number | null]
  t.equal(code, 130)
  t.notOk(existsSync(dataDir!), 'the data folder is deleted')
})

t.test('a port outside 1 to 65534 is a usage error', async (t) => {
  const { code, stderr } = await runCli(['demo', '--port', '65535'])
  t.equal(code, 64)
  t.match(stderr, 'expected a port from 1 to 65534')
})
