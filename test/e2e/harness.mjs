// Building blocks of the end-to-end run (run-e2e.mjs): steps and polling, child processes and
// their logs, the PostgreSQL database, dcp-identity with its seed, the loopback data source, the
// connector JVMs and their management APIs. A run object contains the ports, processes and logs of
// one connector combination, so combinations can run one after the other in one script.
import { spawn, spawnSync } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const datasetFile = join(repoRoot, 'scripts/data/carbon_emissions_data.json')

const databaseBaseUrl = process.env.DATABASE_URL ?? 'postgres://dcp:dcp@127.0.0.1:5432/dcp'
const javaHeap = process.env.E2E_JAVA_HEAP ?? '512m'
const startTimeoutMs = Number(process.env.E2E_START_TIMEOUT_SECONDS ?? 240) * 1000
const connectorLogLevel = process.env.E2E_CONNECTOR_LOG_LEVEL ?? 'DEBUG'
export const stepTimeoutMs = Number(process.env.E2E_STEP_TIMEOUT_SECONDS ?? 120) * 1000

export const edcNamespace = 'https://w3id.org/edc/v0.0.1/ns/'
export const assetId = 'carbon-emissions'
/** Path on the data source that stores the body of each POST or PUT, the sink of HTTP push transfers. */
export const sinkPath = '/sink'

/**
 * Creates the state of one combination's run on the ports from `portBase` + 80 to `portBase` + 209.
 * The service uses +80 and +81 and the data source +90. The provider uses +101 to +109 and the
 * consumer +201 to +209, so each web context of a connector has its own port. Port bases stay
 * below 32768, where Linux's ephemeral range starts: an outgoing connection (to PostgreSQL, say)
 * can take any port in that range as its local port, and a listener then cannot bind it.
 */
export function createRun(name, portBase) {
  const servicePublicPort = portBase + 80
  const serviceInternalPort = portBase + 81
  const didOf = (id) => `did:web:localhost%3A${servicePublicPort}:${id}`
  const run = {
    name,
    workDir: mkdtempSync(join(tmpdir(), `dcp-e2e-${name}-`)),
    servicePublicPort,
    serviceInternalPort,
    sourcePort: portBase + 90,
    serviceUrl: `http://localhost:${servicePublicPort}`,
    stsUrl: `http://127.0.0.1:${serviceInternalPort}/sts/token`,
    adminUrl: `http://127.0.0.1:${serviceInternalPort}/v1`,
    didOf,
    authority: { id: 'authority', did: didOf('authority') },
    managementKey: randomBytes(24).toString('hex'),
    connectors: {
      provider: { id: 'provider', bpn: 'BPNL00000000PROV', portBase: portBase + 100 },
      consumer: { id: 'consumer', bpn: 'BPNL00000000CONS', portBase: portBase + 200 },
    },
    children: [],
    logs: [],
    stopping: false,
    pushed: [],
  }
  for (const connector of Object.values(run.connectors)) {
    const base = connector.portBase
    connector.did = didOf(connector.id)
    connector.stsSecret = randomBytes(32).toString('hex')
    connector.ports = {
      default: base + 1,
      management: base + 2,
      protocol: base + 3,
      control: base + 4,
      public: base + 5,
      version: base + 6,
      proxy: base + 7,
      catalog: base + 8,
      consumerProxy: base + 9,
    }
    connector.managementUrl = `http://127.0.0.1:${connector.ports.management}/management`
  }
  return run
}

export function log(line) {
  process.stdout.write(`[e2e] ${line}\n`)
}

export class StepError extends Error {}

/** Runs one named step. A failure carries the step name, so the output shows where the flow stopped. */
export async function step(name, action) {
  const started = Date.now()
  log(`${name} ...`)
  try {
    const result = await action()
    log(`${name}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`)
    return result
  } catch (error) {
    throw new StepError(`${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}

export async function poll(description, check, timeoutMs = stepTimeoutMs, intervalMs = 1000) {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
    } catch (error) {
      if (error instanceof StepError) throw error
      last = error
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  throw new Error(`${description} timed out after ${timeoutMs / 1000} s${last ? `: ${last.message}` : ''}`)
}

export async function http(method, url, { headers = {}, body, form } = {}) {
  const init = { method, headers: { ...headers } }
  if (form !== undefined) {
    init.body = new URLSearchParams(form).toString()
    init.headers['content-type'] = 'application/x-www-form-urlencoded'
  } else if (body !== undefined) {
    init.body = JSON.stringify(body)
    init.headers['content-type'] = 'application/json'
  }
  const response = await fetch(url, init)
  const text = await response.text()
  let json
  try {
    json = text === '' ? undefined : JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, text, json }
}

export async function expectStatus(description, responsePromise, ...statuses) {
  const response = await responsePromise
  if (!statuses.includes(response.status)) {
    throw new Error(`${description}: expected HTTP ${statuses.join(' or ')}, got ${response.status}: ${response.text.slice(0, 2000)}`)
  }
  return response
}

function startProcess(run, name, command, args, env) {
  const logFile = join(run.workDir, `${name}.log`)
  const fd = openSync(logFile, 'a')
  const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] })
  run.children.push({ name, child })
  run.logs.push({ name, file: logFile })
  child.on('exit', (code, signal) => {
    if (!run.stopping) log(`${name} exited early (code ${code}, signal ${signal}); log: ${logFile}`)
  })
  return { child, logFile }
}

export async function stopAll(run) {
  run.stopping = true
  for (const { child } of run.children.reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          resolve()
        }, 15_000)
        child.once('exit', () => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }
}

export function printLogs(run) {
  for (const { name, file } of run.logs) {
    const lines = readFileSync(file, 'utf8').split('\n')
    const tail = lines.slice(-150).join('\n')
    process.stdout.write(`\n===== ${run.name} ${name} (last 150 of ${lines.length} lines, full log: ${file}) =====\n${tail}\n`)
  }
}

/** Fails early with the port number when another process already listens on a port this run needs. */
export async function checkPortsFree(run) {
  const ports = [
    run.servicePublicPort,
    run.serviceInternalPort,
    run.sourcePort,
    ...Object.values(run.connectors).flatMap((connector) => Object.values(connector.ports)),
  ]
  for (const port of ports) {
    await new Promise((resolve, reject) => {
      const probe = createServer()
      probe.once('error', (error) => reject(new Error(`port ${port} is in use (${error.code}); stop the process that listens on it`)))
      probe.listen(port, () => probe.close(resolve))
    })
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL database

async function withAdminClient(action) {
  const client = new pg.Client({ connectionString: databaseBaseUrl })
  await client.connect()
  try {
    return await action(client)
  } finally {
    await client.end()
  }
}

export async function createDatabase() {
  const name = `dcp_e2e_${randomBytes(6).toString('hex')}`
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`))
  const url = new URL(databaseBaseUrl)
  url.pathname = `/${name}`
  return { name, url: url.toString() }
}

export async function dropDatabase(name) {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
}

// ---------------------------------------------------------------------------------------------
// dcp-identity

/**
 * Writes a seed with the authority (issuer of the Tractus-X credential definitions and BPN
 * directory) and one holder per connector. Each holder's wallet requests `credentialTypes` from
 * the authority over DCP issuance in the background, as a Kubernetes deployment does through its
 * seed ConfigMap.
 */
export function writeSeed(run, credentialTypes) {
  const holders = Object.values(run.connectors)
  for (const connector of holders) {
    connector.secretFile = join(run.workDir, `${connector.id}-sts-secret`)
    writeFileSync(connector.secretFile, connector.stsSecret, { mode: 0o600 })
  }
  const seed = {
    participants: [
      {
        id: run.authority.id,
        did: run.authority.did,
        displayName: 'Data space authority',
        roles: ['issuer'],
        credentialDefinitions: ['tractus-x'],
        holders: holders.map((connector) => ({ did: connector.did, name: connector.id, attributes: { bpn: connector.bpn } })),
      },
      ...holders.map((connector) => ({
        id: connector.id,
        did: connector.did,
        roles: ['holder'],
        sts: { clientId: connector.did, clientSecretFile: connector.secretFile },
        services: [{ id: 'dsp', type: 'DataService', serviceEndpoint: connector.dspUrl }],
        trustedIssuers: [run.authority.did],
        credentialRequests: [{ issuerDid: run.authority.did, credentialTypes }],
      })),
    ],
  }
  const file = join(run.workDir, 'seed.json')
  writeFileSync(file, JSON.stringify(seed, null, 2))
  return file
}

/** Returns the service's JSON log lines with the message `message`. */
export function serviceLogEntries(run, message) {
  const { file } = run.logs.find((entry) => entry.name === 'dcp-identity')
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.msg === message)
}

export async function startService(run, databaseUrl, seedFile) {
  const adminToken = randomBytes(32).toString('hex')
  startProcess(run, 'dcp-identity', process.execPath, ['bin/dcp-identity.js', 'serve'], {
    PUBLIC_PORT: String(run.servicePublicPort),
    PUBLIC_HOST: '127.0.0.1',
    INTERNAL_PORT: String(run.serviceInternalPort),
    INTERNAL_HOST: '127.0.0.1',
    PUBLIC_BASE_URL: run.serviceUrl,
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN: adminToken,
    MASTER_KEY: randomBytes(32).toString('hex'),
    KEY_CUSTODY: 'local',
    SEED_FILE: seedFile,
    DID_WEB_HTTP_HOSTS: 'localhost,127.0.0.1',
    LOG_LEVEL: process.env.E2E_SERVICE_LOG_LEVEL ?? 'info',
  })
  await poll('dcp-identity readiness', async () => (await http('GET', `http://127.0.0.1:${run.serviceInternalPort}/health/ready`)).status === 200, startTimeoutMs)
  return adminToken
}

export function adminClient(run, adminToken) {
  const headers = { authorization: `Bearer ${adminToken}` }
  return {
    get: (path) => http('GET', `${run.adminUrl}${path}`, { headers }),
    post: (path, body) => http('POST', `${run.adminUrl}${path}`, { headers, body }),
  }
}

/**
 * Waits until the participant's wallet has received the `expected` credential types from the
 * authority. The seed lists them as credential requests, so the wallet requests them over DCP
 * issuance and the authority delivers them to the participant's Credential Service.
 */
export async function awaitCredentials(run, admin, connector, expected) {
  await poll(`delivery of ${expected.join(', ')} to ${connector.id}`, async () => {
    const requests = await expectStatus('list credential requests', admin.get(`/participants/${connector.id}/credential-requests`), 200)
    const failed = requests.json.items.find((item) => item.state === 'error' || item.state === 'rejected')
    if (failed) throw new Error(`credential request ${failed.holderPid} ended ${failed.state}: ${failed.lastError ?? failed.rejectionReason ?? ''}`)
    const stored = await expectStatus('list held credentials', admin.get(`/participants/${connector.id}/credentials`), 200)
    const types = new Set(stored.json.items.filter((item) => item.issuerDid === run.authority.did).flatMap((item) => item.types))
    return expected.every((type) => types.has(type))
  })
}

export async function revokeMembership(run, admin, consumer) {
  const issued = await expectStatus(
    'list issued credentials',
    admin.get(`/participants/${run.authority.id}/issuer/issued-credentials?holderDid=${encodeURIComponent(consumer.did)}`),
    200,
  )
  const memberships = issued.json.items.filter((item) => item.credentialType === 'MembershipCredential' && item.status !== 'revoked')
  if (memberships.length === 0) throw new Error(`no MembershipCredential issued to ${consumer.did}`)
  for (const credential of memberships) {
    await expectStatus('revoke MembershipCredential', admin.post(`/participants/${run.authority.id}/issuer/issued-credentials/${credential.id}/revoke`), 200)
  }
}

// ---------------------------------------------------------------------------------------------
// Data source and connectors

/**
 * Starts the loopback HTTP server that serves the dataset under `/<assetId>` (the source of every
 * transfer) and stores each body sent to `sinkPath` in `run.pushed` (the sink of push transfers).
 */
export function startDataSource(run, bytes) {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url?.startsWith(`/${assetId}`)) {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length }).end(bytes)
      return
    }
    if ((request.method === 'POST' || request.method === 'PUT') && request.url?.startsWith(sinkPath)) {
      const chunks = []
      request.on('data', (chunk) => chunks.push(chunk))
      request.on('end', () => {
        run.pushed.push(Buffer.concat(chunks))
        response.writeHead(200).end()
      })
      return
    }
    response.writeHead(404).end()
  })
  return new Promise((resolve) => server.listen(run.sourcePort, '127.0.0.1', () => resolve(server)))
}

/** Writes an EC P-256 key pair as JWK; the provider's data plane signs EDR access tokens with it. */
export function tokenSignerKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return {
    privateJwk: JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: 'token-signer' }),
    publicJwk: JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid: 'token-signer' }),
  }
}

/**
 * Returns the settings that both connector lines share: the management, protocol and control
 * endpoints, this service as remote STS, the authority as trusted issuer, did:web over http, a
 * status list check on every verification, and the vault secrets with a fresh token signer key.
 */
export function sharedConnectorSettings(run, connector, { participantId, protocolPath }) {
  const keys = tokenSignerKeys()
  const { ports } = connector
  return {
    'edc.participant.id': participantId,
    'edc.hostname': 'localhost',
    'web.http.port': ports.default,
    'web.http.path': '/api',
    'web.http.management.port': ports.management,
    'web.http.management.path': '/management',
    'web.http.management.auth.type': 'tokenbased',
    'web.http.management.auth.key': run.managementKey,
    'web.http.protocol.port': ports.protocol,
    'web.http.protocol.path': protocolPath,
    'web.http.control.port': ports.control,
    'web.http.control.path': '/control',
    'edc.dsp.callback.address': connector.dspUrl,
    // Identity: this service as remote STS, its Credential Service as wallet.
    'edc.iam.issuer.id': connector.did,
    'edc.iam.sts.oauth.token.url': run.stsUrl,
    'edc.iam.sts.oauth.client.id': connector.did,
    'edc.iam.sts.oauth.client.secret.alias': 'sts-client-secret',
    'edc.iam.trusted-issuer.authority.id': run.authority.did,
    'edc.iam.did.web.use.https': 'false',
    // Status lists are checked on every verification, so a revocation shows in the next request.
    'edc.iam.credential.revocation.cache.validity': '1',
    'edc.iam.credential.revocation.mimetype': 'application/json',
    'edc.transfer.proxy.token.signer.privatekey.alias': 'token-signer-private',
    'edc.transfer.proxy.token.verifier.publickey.alias': 'token-signer-public',
    'tx.edc.vault.secrets': [
      `sts-client-secret:${connector.stsSecret}`,
      `token-signer-private:${keys.privateJwk}`,
      `token-signer-public:${keys.publicJwk}`,
    ].join(';'),
  }
}

export function writeProperties(run, connector, settings) {
  const file = join(run.workDir, `${connector.id}.properties`)
  writeFileSync(file, Object.entries(settings).map(([key, value]) => `${key}=${value}`).join('\n') + '\n', { mode: 0o600 })
  return file
}

export function buildConnector(connectorDir) {
  const args = ['-B', '-q', '-ntp', '-f', join(connectorDir, 'pom.xml'), 'package', '-DskipTests']
  if (process.env.E2E_MAVEN_OFFLINE === 'true') args.unshift('-o')
  const result = spawnSync('mvn', args, { stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`mvn ${args.join(' ')} exited with ${result.status}`)
}

export function startConnector(run, connector, connectorDir, propertiesFile) {
  const { logFile } = startProcess(run, connector.id, 'java', [
    `-Xmx${javaHeap}`,
    '-XX:+UseSerialGC',
    `-Dedc.fs.config=${propertiesFile}`,
    '-cp',
    `${join(connectorDir, 'target/lib')}/*`,
    'org.eclipse.edc.boot.system.runtime.BaseRuntime',
    `--log-level=${connectorLogLevel}`,
  ], {
    // The AWS SDK must never look for credentials or a region on a cloud metadata address.
    AWS_EC2_METADATA_DISABLED: 'true',
  })
  connector.logFile = logFile
}

export async function waitForConnector(connector) {
  await poll(`${connector.id} connector "Runtime ... ready"`, () => {
    const text = readFileSync(connector.logFile, 'utf8')
    if (/Error booting runtime/.test(text)) throw new StepError(`${connector.id} failed to boot; see its log`)
    return /Runtime \S+ ready/.test(text)
  }, startTimeoutMs)
}

export function management(run, connector) {
  const headers = { 'x-api-key': run.managementKey }
  return {
    get: (path) => http('GET', `${connector.managementUrl}${path}`, { headers }),
    post: (path, body) => http('POST', `${connector.managementUrl}${path}`, { headers, body }),
  }
}
