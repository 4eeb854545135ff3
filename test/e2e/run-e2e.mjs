// End-to-end run: two Tractus-X EDC connectors authenticate each other through dcp-identity and
// exchange a dataset. Starts dcp-identity on a fresh PostgreSQL database with a data space
// authority (issuer and BPN directory) and two participants, a loopback HTTP data source, and a
// provider and a consumer connector (test/e2e/connector). Then, through the management APIs: the
// provider offers the dataset under a Membership policy, the consumer reads the catalog over DSP,
// negotiates, pulls the data through the provider's data plane and compares the bytes. Finally the
// authority revokes the consumer's MembershipCredential and the next catalog request must fail.
//
// Needs `npm run build`, Java 17, Maven and DATABASE_URL (default postgres://dcp:dcp@127.0.0.1:5432/dcp)
// whose role may create databases. Every address that a process is configured to call is loopback.
// Exit code 0 when every step passed, 1 otherwise; on failure the logs of the service and both
// connectors are printed.
import { spawn, spawnSync } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import pg from 'pg'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const connectorDir = join(repoRoot, 'test/e2e/connector')
const datasetFile = join(repoRoot, 'scripts/data/carbon_emissions_data.json')
const workDir = mkdtempSync(join(tmpdir(), 'dcp-e2e-'))

const databaseBaseUrl = process.env.DATABASE_URL ?? 'postgres://dcp:dcp@127.0.0.1:5432/dcp'
const javaHeap = process.env.E2E_JAVA_HEAP ?? '512m'
const startTimeoutMs = Number(process.env.E2E_START_TIMEOUT_SECONDS ?? 240) * 1000
const connectorLogLevel = process.env.E2E_CONNECTOR_LOG_LEVEL ?? 'DEBUG'
const stepTimeoutMs = Number(process.env.E2E_STEP_TIMEOUT_SECONDS ?? 120) * 1000

const servicePublicPort = 38080
const serviceInternalPort = 38081
const sourcePort = 38090
const serviceUrl = `http://localhost:${servicePublicPort}`
const stsUrl = `http://127.0.0.1:${serviceInternalPort}/sts/token`
const adminUrl = `http://127.0.0.1:${serviceInternalPort}/v1`
const didOf = (id) => `did:web:localhost%3A${servicePublicPort}:${id}`

const authority = { id: 'authority', did: didOf('authority') }
const managementKey = randomBytes(24).toString('hex')
const dsp = 'dataspace-protocol-http'
const edcNamespace = 'https://w3id.org/edc/v0.0.1/ns/'
const assetId = 'carbon-emissions'

/** The two connectors; each block of ports holds every web context, so none falls back to a shared default port. */
const connectors = {
  provider: { id: 'provider', bpn: 'BPNL00000000PROV', portBase: 38100 },
  consumer: { id: 'consumer', bpn: 'BPNL00000000CONS', portBase: 38200 },
}
for (const connector of Object.values(connectors)) {
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
  connector.dspUrl = `http://localhost:${connector.ports.protocol}/api/v1/dsp`
}

const children = []
const logs = []

function log(line) {
  process.stdout.write(`[e2e] ${line}\n`)
}

class StepError extends Error {}

/** Runs one named step. A failure carries the step name, so the output shows where the flow stopped. */
async function step(name, action) {
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

async function poll(description, check, timeoutMs = stepTimeoutMs, intervalMs = 1000) {
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

async function http(method, url, { headers = {}, body, form } = {}) {
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

async function expectStatus(description, responsePromise, ...statuses) {
  const response = await responsePromise
  if (!statuses.includes(response.status)) {
    throw new Error(`${description}: expected HTTP ${statuses.join(' or ')}, got ${response.status}: ${response.text.slice(0, 2000)}`)
  }
  return response
}

function startProcess(name, command, args, env) {
  const logFile = join(workDir, `${name}.log`)
  const fd = openSync(logFile, 'a')
  const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] })
  children.push({ name, child })
  logs.push({ name, file: logFile })
  child.on('exit', (code, signal) => {
    if (!stopping) log(`${name} exited early (code ${code}, signal ${signal}); log: ${logFile}`)
  })
  return { child, logFile }
}

let stopping = false

async function stopAll() {
  stopping = true
  for (const { child } of children.reverse()) {
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

function printLogs() {
  for (const { name, file } of logs) {
    const lines = readFileSync(file, 'utf8').split('\n')
    const tail = lines.slice(-150).join('\n')
    process.stdout.write(`\n===== ${name} (last 150 of ${lines.length} lines, full log: ${file}) =====\n${tail}\n`)
  }
}

/** Fails early with the port number when another process already listens on a port this run needs. */
async function checkPortsFree() {
  const ports = [servicePublicPort, serviceInternalPort, sourcePort, ...Object.values(connectors).flatMap((connector) => Object.values(connector.ports))]
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

async function createDatabase() {
  const name = `dcp_e2e_${randomBytes(6).toString('hex')}`
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`))
  const url = new URL(databaseBaseUrl)
  url.pathname = `/${name}`
  return { name, url: url.toString() }
}

async function dropDatabase(name) {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
}

// ---------------------------------------------------------------------------------------------
// dcp-identity

function writeSeed() {
  const holders = Object.values(connectors)
  for (const connector of holders) {
    connector.secretFile = join(workDir, `${connector.id}-sts-secret`)
    writeFileSync(connector.secretFile, connector.stsSecret, { mode: 0o600 })
  }
  const seed = {
    participants: [
      {
        id: authority.id,
        did: authority.did,
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
        trustedIssuers: [authority.did],
        // The wallet requests its credentials over DCP issuance in the background, as a
        // Kubernetes deployment does through its seed ConfigMap.
        credentialRequests: [{ issuerDid: authority.did, credentialTypes: Object.values(tractusxCredentials) }],
      })),
    ],
  }
  const file = join(workDir, 'seed.json')
  writeFileSync(file, JSON.stringify(seed, null, 2))
  return file
}

async function startService(databaseUrl, seedFile) {
  const adminToken = randomBytes(32).toString('hex')
  startProcess('dcp-identity', process.execPath, ['bin/dcp-identity.js', 'serve'], {
    PUBLIC_PORT: String(servicePublicPort),
    PUBLIC_HOST: '127.0.0.1',
    INTERNAL_PORT: String(serviceInternalPort),
    INTERNAL_HOST: '127.0.0.1',
    PUBLIC_BASE_URL: serviceUrl,
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN: adminToken,
    MASTER_KEY: randomBytes(32).toString('hex'),
    KEY_CUSTODY: 'local',
    SEED_FILE: seedFile,
    DID_WEB_HTTP_HOSTS: 'localhost,127.0.0.1',
    LOG_LEVEL: process.env.E2E_SERVICE_LOG_LEVEL ?? 'info',
  })
  await poll('dcp-identity readiness', async () => (await http('GET', `http://127.0.0.1:${serviceInternalPort}/health/ready`)).status === 200, startTimeoutMs)
  return adminToken
}

function adminClient(adminToken) {
  const headers = { authorization: `Bearer ${adminToken}` }
  return {
    get: (path) => http('GET', `${adminUrl}${path}`, { headers }),
    post: (path, body) => http('POST', `${adminUrl}${path}`, { headers, body }),
  }
}

const tractusxCredentials = {
  'membership-credential': 'MembershipCredential',
  'bpn-credential': 'BpnCredential',
  'data-exchange-governance-credential': 'DataExchangeGovernanceCredential',
}

/**
 * Waits until the participant's wallet holds the authority's Tractus-X credentials. The seed lists
 * them as credential requests, so the wallet requests them over DCP issuance and the authority
 * delivers them to the participant's Credential Service.
 */
async function awaitCredentials(admin, connector) {
  const expected = Object.values(tractusxCredentials)
  await poll(`delivery of ${expected.join(', ')} to ${connector.id}`, async () => {
    const requests = await expectStatus('list credential requests', admin.get(`/participants/${connector.id}/credential-requests`), 200)
    const failed = requests.json.items.find((item) => item.state === 'error' || item.state === 'rejected')
    if (failed) throw new Error(`credential request ${failed.holderPid} ended ${failed.state}: ${failed.lastError ?? failed.rejectionReason ?? ''}`)
    const stored = await expectStatus('list held credentials', admin.get(`/participants/${connector.id}/credentials`), 200)
    const types = new Set(stored.json.items.filter((item) => item.issuerDid === authority.did).flatMap((item) => item.types))
    return expected.every((type) => types.has(type))
  })
}

// ---------------------------------------------------------------------------------------------
// Data source and connectors

function startDataSource(bytes) {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url?.startsWith(`/${assetId}`)) {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length }).end(bytes)
      return
    }
    response.writeHead(404).end()
  })
  return new Promise((resolve) => server.listen(sourcePort, '127.0.0.1', () => resolve(server)))
}

/** Writes an EC P-256 key pair as JWK; the provider's data plane signs EDR access tokens with it. */
function tokenSignerKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return {
    privateJwk: JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: 'token-signer' }),
    publicJwk: JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid: 'token-signer' }),
  }
}

/**
 * Writes the settings of a Tractus-X connector in production shape, with every address it calls on
 * loopback. NOTE: its web servers still bind all interfaces, because EDC 0.13 has no bind address.
 */
function connectorProperties(connector) {
  const keys = tokenSignerKeys()
  const { ports } = connector
  const settings = {
    'edc.participant.id': connector.bpn,
    'edc.hostname': 'localhost',
    'web.http.port': ports.default,
    'web.http.path': '/api',
    'web.http.management.port': ports.management,
    'web.http.management.path': '/management',
    'web.http.management.auth.type': 'tokenbased',
    'web.http.management.auth.key': managementKey,
    'web.http.protocol.port': ports.protocol,
    'web.http.protocol.path': '/api/v1/dsp',
    'web.http.control.port': ports.control,
    'web.http.control.path': '/control',
    'web.http.public.port': ports.public,
    'web.http.public.path': '/api/public',
    'web.http.version.port': ports.version,
    'web.http.version.path': '/version',
    'web.http.proxy.port': ports.proxy,
    'web.http.proxy.path': '/proxy',
    'web.http.catalog.port': ports.catalog,
    'web.http.catalog.path': '/catalog',
    'web.http.catalog.auth.type': 'tokenbased',
    'web.http.catalog.auth.key': managementKey,
    'tx.edc.dpf.consumer.proxy.port': ports.consumerProxy,
    'edc.dsp.callback.address': connector.dspUrl,
    'edc.dataplane.api.public.baseurl': `http://localhost:${ports.public}/api/public`,
    'tx.edc.dataplane.token.refresh.endpoint': `http://localhost:${ports.public}/api/public/token`,
    // Identity: this service as remote STS, its Credential Service as wallet.
    'edc.iam.issuer.id': connector.did,
    'edc.iam.sts.oauth.token.url': stsUrl,
    'edc.iam.sts.oauth.client.id': connector.did,
    'edc.iam.sts.oauth.client.secret.alias': 'sts-client-secret',
    'tx.edc.iam.iatp.credentialservice.url': `${serviceUrl}/p/${connector.id}/cs`,
    'edc.iam.trusted-issuer.authority.id': authority.did,
    // Tractus-X 0.10 reads the BDRS URL under both names; the client appends /bpn-directory.
    'tx.iam.iatp.bdrs.server.url': `${serviceUrl}/p/${authority.id}`,
    'tx.edc.iam.iatp.bdrs.server.url': `${serviceUrl}/p/${authority.id}`,
    'edc.iam.did.web.use.https': 'false',
    'edc.dcp.v08.forced': 'true',
    // Status lists are checked on every verification, so a revocation shows in the next request.
    'edc.iam.credential.revocation.cache.validity': '1',
    'edc.iam.credential.revocation.mimetype': 'application/json',
    'edc.transfer.proxy.token.signer.privatekey.alias': 'token-signer-private',
    'edc.transfer.proxy.token.verifier.publickey.alias': 'token-signer-public',
    // The federated catalog crawler would contact configured nodes; none are wanted.
    'edc.catalog.cache.execution.enabled': 'false',
    'tx.edc.vault.secrets': [
      `sts-client-secret:${connector.stsSecret}`,
      `token-signer-private:${keys.privateJwk}`,
      `token-signer-public:${keys.publicJwk}`,
    ].join(';'),
  }
  const file = join(workDir, `${connector.id}.properties`)
  writeFileSync(file, Object.entries(settings).map(([key, value]) => `${key}=${value}`).join('\n') + '\n', { mode: 0o600 })
  return file
}

function buildConnector() {
  const args = ['-B', '-q', '-ntp', '-f', join(connectorDir, 'pom.xml'), 'package', '-DskipTests']
  if (process.env.E2E_MAVEN_OFFLINE === 'true') args.unshift('-o')
  const result = spawnSync('mvn', args, { stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`mvn ${args.join(' ')} exited with ${result.status}`)
}

async function startConnector(connector) {
  const properties = connectorProperties(connector)
  const { logFile } = startProcess(connector.id, 'java', [
    `-Xmx${javaHeap}`,
    '-XX:+UseSerialGC',
    `-Dedc.fs.config=${properties}`,
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

async function waitForConnector(connector) {
  await poll(`${connector.id} connector "Runtime ... ready"`, () => {
    const text = readFileSync(connector.logFile, 'utf8')
    if (/Error booting runtime/.test(text)) throw new StepError(`${connector.id} failed to boot; see its log`)
    return /Runtime \S+ ready/.test(text)
  }, startTimeoutMs)
}

function management(connector) {
  const headers = { 'x-api-key': managementKey }
  return {
    get: (path) => http('GET', `${connector.managementUrl}${path}`, { headers }),
    post: (path, body) => http('POST', `${connector.managementUrl}${path}`, { headers, body }),
  }
}

// ---------------------------------------------------------------------------------------------
// Management API flow

async function offerDataset(provider) {
  const api = management(provider)
  const context = { '@vocab': edcNamespace }
  await expectStatus('create asset', api.post('/v3/assets', {
    '@context': context,
    '@id': assetId,
    properties: { name: 'CO2 intensity of road freight vehicles', contenttype: 'application/json' },
    dataAddress: { '@type': 'DataAddress', type: 'HttpData', baseUrl: `http://127.0.0.1:${sourcePort}/${assetId}`, proxyPath: 'false' },
  }), 200)
  await expectStatus('create membership policy', api.post('/v3/policydefinitions', {
    '@context': [
      'http://www.w3.org/ns/odrl.jsonld',
      { '@vocab': edcNamespace, 'cx-policy': 'https://w3id.org/catenax/policy/' },
    ],
    '@type': 'PolicyDefinition',
    '@id': 'membership-active',
    policy: {
      '@type': 'Set',
      permission: [{ action: 'use', constraint: [{ leftOperand: 'cx-policy:Membership', operator: 'eq', rightOperand: 'active' }] }],
    },
  }), 200)
  await expectStatus('create contract definition', api.post('/v3/contractdefinitions', {
    '@context': context,
    '@id': 'carbon-emissions-for-members',
    accessPolicyId: 'membership-active',
    contractPolicyId: 'membership-active',
    assetsSelector: [{ operandLeft: `${edcNamespace}id`, operator: '=', operandRight: assetId }],
  }), 200)
}

function requestCatalog(consumer, provider) {
  return management(consumer).post('/v3/catalog/request', {
    '@context': { '@vocab': edcNamespace },
    '@type': 'CatalogRequest',
    counterPartyAddress: provider.dspUrl,
    counterPartyId: provider.bpn,
    protocol: dsp,
    querySpec: { offset: 0, limit: 50 },
  })
}

function datasetsOf(catalog) {
  const datasets = catalog['dcat:dataset'] ?? catalog.dataset ?? []
  return Array.isArray(datasets) ? datasets : [datasets]
}

async function negotiate(consumer, provider, catalog) {
  const dataset = datasetsOf(catalog).find((entry) => entry['@id'] === assetId)
  if (!dataset) throw new Error(`the catalog has no dataset ${assetId}: ${JSON.stringify(catalog).slice(0, 2000)}`)
  const policies = dataset['odrl:hasPolicy']
  const offer = { ...(Array.isArray(policies) ? policies[0] : policies) }
  offer['odrl:assigner'] ??= { '@id': provider.bpn }
  offer['odrl:target'] ??= { '@id': assetId }
  const api = management(consumer)
  const created = await expectStatus('start negotiation', api.post('/v3/contractnegotiations', {
    '@context': catalog['@context'],
    '@type': 'ContractRequest',
    counterPartyAddress: provider.dspUrl,
    protocol: dsp,
    policy: offer,
  }), 200)
  const negotiationId = created.json['@id']
  return poll(`negotiation ${negotiationId} FINALIZED`, async () => {
    const negotiation = (await expectStatus('read negotiation', api.get(`/v3/contractnegotiations/${negotiationId}`), 200)).json
    if (negotiation.state === 'TERMINATED') throw new StepError(`negotiation terminated: ${negotiation.errorDetail ?? JSON.stringify(negotiation)}`)
    return negotiation.state === 'FINALIZED' ? negotiation.contractAgreementId : undefined
  })
}

async function pullData(consumer, provider, agreementId) {
  const api = management(consumer)
  const created = await expectStatus('start transfer', api.post('/v3/transferprocesses', {
    '@context': { '@vocab': edcNamespace },
    '@type': 'TransferRequest',
    counterPartyAddress: provider.dspUrl,
    protocol: dsp,
    contractId: agreementId,
    assetId,
    transferType: 'HttpData-PULL',
    dataDestination: { type: 'HttpProxy' },
  }), 200)
  const transferId = created.json['@id']
  await poll(`transfer ${transferId} STARTED`, async () => {
    const transfer = (await expectStatus('read transfer', api.get(`/v3/transferprocesses/${transferId}`), 200)).json
    if (transfer.state === 'TERMINATED') throw new StepError(`transfer terminated: ${transfer.errorDetail ?? JSON.stringify(transfer)}`)
    return transfer.state === 'STARTED'
  })
  const edr = await poll('EDR of the transfer', async () => {
    const response = await api.get(`/v3/edrs/${transferId}/dataaddress`)
    return response.status === 200 ? response.json : undefined
  })
  const endpoint = edr.endpoint ?? edr[`${edcNamespace}endpoint`]
  const authorization = edr.authorization ?? edr[`${edcNamespace}authorization`]
  if (!endpoint || !authorization) throw new Error(`EDR lacks endpoint or authorization: ${JSON.stringify(edr)}`)
  if (!/^http:\/\/(localhost|127\.0\.0\.1):/.test(endpoint)) throw new Error(`EDR endpoint is not on loopback: ${endpoint}`)
  const response = await fetch(endpoint, { headers: { authorization } })
  const bytes = Buffer.from(await response.arrayBuffer())
  if (response.status !== 200) throw new Error(`GET ${endpoint} returned ${response.status}: ${bytes.toString('utf8').slice(0, 2000)}`)
  return bytes
}

async function revokeMembership(admin, consumer) {
  const issued = await expectStatus(
    'list issued credentials',
    admin.get(`/participants/${authority.id}/issuer/issued-credentials?holderDid=${encodeURIComponent(consumer.did)}`),
    200,
  )
  const memberships = issued.json.items.filter((item) => item.credentialType === 'MembershipCredential' && item.status !== 'revoked')
  if (memberships.length === 0) throw new Error(`no MembershipCredential issued to ${consumer.did}`)
  for (const credential of memberships) {
    await expectStatus('revoke MembershipCredential', admin.post(`/participants/${authority.id}/issuer/issued-credentials/${credential.id}/revoke`), 200)
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now()
  log(`work folder ${workDir}`)
  const { provider, consumer } = connectors
  const dataset = readFileSync(datasetFile)
  let database
  let source
  let failed = false
  try {
    await step('check that the ports are free', checkPortsFree)
    await step('build connector runtime (Maven)', async () => buildConnector())
    if (!existsSync(join(repoRoot, 'dist'))) throw new Error('dist/ is missing; run npm run build first')
    database = await step('create database', createDatabase)
    const adminToken = await step('start dcp-identity with the seed', () => startService(database.url, writeSeed()))
    const admin = adminClient(adminToken)
    // The connectors boot while the wallets are filled: the JVM start is the slowest step.
    await step('start connectors', async () => {
      await startConnector(provider)
      await startConnector(consumer)
    })
    source = await step('start data source', () => startDataSource(dataset))
    for (const connector of [provider, consumer]) {
      await step(`${connector.id} receives its Tractus-X credentials over DCP`, () => awaitCredentials(admin, connector))
    }
    for (const connector of [provider, consumer]) {
      await step(`${connector.id} connector ready`, () => waitForConnector(connector))
    }
    await step('provider offers the dataset', () => offerDataset(provider))
    const catalog = await step('consumer requests the catalog', async () => {
      const response = await expectStatus('catalog request', requestCatalog(consumer, provider), 200)
      return response.json
    })
    const agreementId = await step('consumer negotiates a contract', () => negotiate(consumer, provider, catalog))
    const received = await step('consumer pulls the data through the provider data plane', () => pullData(consumer, provider, agreementId))
    await step('received bytes equal the source', async () => {
      if (!received.equals(dataset)) {
        throw new Error(`received ${received.length} bytes differ from the ${dataset.length} source bytes: ${received.toString('utf8').slice(0, 500)}`)
      }
    })
    await step('authority revokes the consumer membership', () => revokeMembership(admin, consumer))
    await step('catalog request after revocation is rejected', async () => {
      const response = await requestCatalog(consumer, provider)
      if (response.status === 200) {
        const offered = datasetsOf(response.json).some((entry) => entry['@id'] === assetId)
        throw new Error(`catalog request succeeded after revocation${offered ? ' and still offers the dataset' : ' (without the dataset)'}`)
      }
      log(`catalog request after revocation: HTTP ${response.status} ${response.text.slice(0, 300)}`)
      // The provider logs the reason at DEBUG level only.
      const reasons = readFileSync(provider.logFile, 'utf8').match(/Unauthorized: .*/g) ?? []
      if (reasons.length > 0) log(`provider: ${stripVTControlCharacters(reasons.at(-1))}`)
    })
    log(`PASSED in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  } catch (error) {
    failed = true
    log(`FAILED: ${error instanceof Error ? error.message : String(error)}`)
    printLogs()
  } finally {
    if (source) source.close()
    await stopAll()
    if (database) await dropDatabase(database.name).catch((error) => log(`dropping database ${database.name} failed: ${error.message}`))
  }
  // The folder holds the logs, and also the STS secrets and signing keys of this run.
  if (failed) log(`logs and settings kept in ${workDir}`)
  else rmSync(workDir, { recursive: true, force: true })
  process.exitCode = failed ? 1 : 0
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void stopAll().then(() => process.exit(130))
  })
}

await main()
