// Measures the hot path on this machine: STS tokens and presentation queries against a service
// on real PostgreSQL with local keys, beside Node's own one-core ES256 sign and verify rates.
// Needs `npm run build` and DATABASE_URL pointing at a server whose role may create databases.
// The last line of standard output is one JSON object with every figure.
import { spawn } from 'node:child_process'
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Agent, createServer, request as httpRequest } from 'node:http'
import autocannon from 'autocannon'
import { exportJWK, SignJWT } from 'jose'
import pg from 'pg'
import { parseJwtCredential } from '../dist/credentials/parsed-credential.js'
import { insertCredential } from '../dist/storage/credential-repository.js'
import { PostgresDatabase } from '../dist/storage/postgres-database.js'

const durationSeconds = Number(process.env.BENCH_DURATION_SECONDS ?? 10)
const chartValues = readFileSync('helm/dcp-identity/values.yaml', 'utf8')
const chartHeapMegabytes = Number(/^heapSizeMegabytes: (\d+)$/m.exec(chartValues)[1])
const chartV8PoolSize = Number(/^v8PoolSize: (\d+)$/m.exec(chartValues)[1])
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32)
const adminToken = randomBytes(32).toString('hex')
const publicPort = 18080
const internalPort = 18081
const verifierPort = 18090
const holderDid = `did:web:localhost%3A${publicPort}:companyx`
const verifierDid = `did:web:127.0.0.1%3A${verifierPort}:verifier`
const scopes = ['MembershipCredential', 'BpnCredential', 'DataExchangeGovernanceCredential'].map(
  (type) => `org.eclipse.tractusx.vc.type:${type}:read`,
)

function log(line) {
  process.stdout.write(`${line}\n`)
}

/** Signs or verifies for `ms` on this thread and returns operations per second. */
function rateOf(operation, ms = 2000) {
  let count = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    for (let i = 0; i < 50; i++) operation()
    count += 50
  }
  return count / ((performance.now() - start) / 1000)
}

function cryptoRates() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const data = Buffer.from(`${'a'.repeat(300)}.${'b'.repeat(500)}`)
  const signature = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
  return {
    signPerSecond: rateOf(() => sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
    verifyPerSecond: rateOf(() => verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)),
  }
}

async function createDatabase(serverUrl) {
  const name = `dcp_bench_${randomBytes(4).toString('hex')}`
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  await client.query(`CREATE DATABASE ${name}`)
  await client.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const admin = new pg.Client({ connectionString: serverUrl })
      await admin.connect()
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.end()
    },
  }
}

function startService(databaseUrl) {
  // The heap size and V8's thread count are the Helm chart's defaults, as a replica runs.
  // BENCH_NODE_OPTIONS adds flags such as --cpu-prof, and a later value of either replaces these.
  const nodeOptions = [
    `--max-old-space-size=${chartHeapMegabytes}`,
    `--v8-pool-size=${chartV8PoolSize}`,
    ...(process.env.BENCH_NODE_OPTIONS ?? '').split(' ').filter(Boolean),
  ]
  const child = spawn(process.execPath, [...nodeOptions, 'bin/dcp-identity.js', 'serve'], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      ADMIN_TOKEN: adminToken,
      MASTER_KEY: randomBytes(32).toString('hex'),
      PUBLIC_PORT: String(publicPort),
      INTERNAL_PORT: String(internalPort),
      PUBLIC_HOST: '127.0.0.1',
      PUBLIC_BASE_URL: `http://localhost:${publicPort}`,
      DID_WEB_HTTP_HOSTS: `127.0.0.1:${verifierPort}`,
      RATE_LIMIT_MAX: '0',
      LOG_LEVEL: 'warn',
      // The Dockerfile's and the Helm chart's setting, unless the caller sets another.
      UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  return child
}

async function waitForReady() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${internalPort}/health/ready`)).ok) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error('the service did not become ready within 20 s')
}

async function admin(path, body) {
  const response = await fetch(`http://127.0.0.1:${internalPort}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path} failed: ${response.status} ${await response.text()}`)
  return response.json()
}

async function stsToken(clientId, clientSecret, fields) {
  const response = await fetch(`http://127.0.0.1:${internalPort}/sts/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, ...fields }),
  })
  if (!response.ok) throw new Error(`STS failed: ${response.status} ${await response.text()}`)
  return (await response.json()).access_token
}

/** A verifier outside the service: its DID document is served from a loopback server. */
async function startVerifier() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const kid = `${verifierDid}#key-1`
  const document = {
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: verifierDid,
    verificationMethod: [{ id: kid, type: 'JsonWebKey2020', controller: verifierDid, publicKeyJwk: await exportJWK(publicKey) }],
    authentication: [kid],
    capabilityInvocation: [kid],
  }
  const server = createServer((request, response) => {
    if (request.url !== '/verifier/did.json') return response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document))
  })
  await new Promise((resolve) => server.listen(verifierPort, '127.0.0.1', resolve))
  return { server, privateKey, kid }
}

async function holdCredentials(databaseUrl) {
  const issuer = createPrivateKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }))
  const db = new PostgresDatabase({ url: databaseUrl, poolMax: 2 })
  const now = Math.floor(Date.now() / 1000)
  for (const type of ['MembershipCredential', 'BpnCredential', 'DataExchangeGovernanceCredential']) {
    const raw = await new SignJWT({
      iss: 'did:web:issuer.example',
      sub: holderDid,
      nbf: now - 10,
      exp: now + 86_400,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        id: randomUUID(),
        type: ['VerifiableCredential', type],
        issuer: 'did:web:issuer.example',
        credentialSubject: { id: holderDid, holderIdentifier: 'BPNL000000000001' },
      },
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'did:web:issuer.example#key-1' })
      .sign(issuer)
    await insertCredential(db, { participantId: 'companyx', credential: parseJwtCredential(raw) })
  }
  await db.close()
}

/**
 * Pre-signed tokens in one Buffer outside the V8 heap. As an array of strings they took about
 * 250 MB of the generator's heap, and its garbage collections then paused the generator for up
 * to 16 ms, which counted as latency of the service.
 */
class TokenStore {
  #bytes
  #ends
  #next = 0

  constructor(count, make) {
    const first = make()
    this.#bytes = Buffer.allocUnsafe(count * (first.length + 64))
    this.#ends = new Uint32Array(count)
    let end = 0
    for (let i = 0; i < count; i++) {
      const token = i === 0 ? first : make()
      if (end + token.length > this.#bytes.length) throw new Error(`token ${i} is longer than the space kept for it`)
      end += this.#bytes.write(token, end, 'latin1')
      this.#ends[i] = end
    }
  }

  /** Returns the next token, starting over after the last. */
  next() {
    const index = this.#next++ % this.#ends.length
    return this.#bytes.toString('latin1', index === 0 ? 0 : this.#ends[index - 1], this.#ends[index])
  }
}

function base64urlJson(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function rssMegabytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024
}

function load(options) {
  return new Promise((resolve, reject) => {
    autocannon({ duration: durationSeconds, connections, ...options }, (error, result) => (error ? reject(error) : resolve(result)))
  })
}

/**
 * Sends requests at a steady `ratePerSecond` for the benchmark's duration, each on time whether or
 * not earlier ones got a response, and measures each latency from the moment it was due. This is
 * the latency a connector gets at that load. autocannon's rate option sends each connection's
 * quota as a burst at the start of every second, which measures queueing behind the burst instead.
 * The generator's own event loop delay is reported too: a request sent late because the generator
 * itself paused still counts from its due time. The first `warmupSeconds` at the same rate are
 * not timed, though their failures count. They open the connections while the service still
 * collects the garbage of the full-rate run, which put up to 150 slow requests into the first
 * half second.
 */
async function pacedLoad(url, body, nextToken, ratePerSecond, warmupSeconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections * 4 })
  const warmup = Math.floor(ratePerSecond * warmupSeconds)
  const total = warmup + Math.floor(ratePerSecond * durationSeconds)
  const latencies = []
  let non2xx = 0
  let errors = 0
  const send = (due, counted) =>
    new Promise((resolve) => {
      const request = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${nextToken()}` } }, (response) => {
        response.resume()
        response.on('end', () => {
          if (response.statusCode < 200 || response.statusCode >= 300) non2xx++
          else if (counted) latencies.push(performance.now() - due)
          resolve()
        })
      })
      request.on('error', () => {
        errors++
        resolve()
      })
      request.end(body)
    })
  const loopDelay = monitorEventLoopDelay({ resolution: 1 })
  loopDelay.enable()
  const start = performance.now()
  const pending = []
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / ratePerSecond
    const wait = due - performance.now()
    if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait))
    if (i === warmup) loopDelay.reset()
    pending.push(send(due, i >= warmup))
  }
  await Promise.all(pending)
  loopDelay.disable()
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const percentile = (p) => (latencies.length === 0 ? NaN : Number(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1)))
  return {
    perSecond: latencies.length / durationSeconds,
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
    non2xx,
    errors,
    generatorDelayMaxMs: Number((loopDelay.max / 1e6).toFixed(1)),
  }
}

function summary(result) {
  return {
    perSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

/** Measures the STS with the plain token a provider requests, then with a new access token inside. */
async function measureSts(clientId, clientSecret) {
  const stsBody = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience: verifierDid }).toString()
  const stsRequest = { url: `http://127.0.0.1:${internalPort}/sts/token`, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: stsBody }
  await load({ ...stsRequest, duration: 2 })
  const sts = summary(await load(stsRequest))
  const scopedBody = `${stsBody}&${new URLSearchParams({ bearer_access_scope: scopes.join(' ') })}`
  const stsScoped = summary(await load({ ...stsRequest, body: scopedBody }))
  log(`STS: ${sts.perSecond.toFixed(0)} tokens/s (p50 ${sts.p50Ms} ms, p99 ${sts.p99Ms} ms); with an access token ${stsScoped.perSecond.toFixed(0)}/s`)
  return { sts, stsScoped }
}

/** Measures presentation queries, each with a fresh verifier SI token that carries the holder's access token. */
async function measurePresentations(clientId, clientSecret, verifier, servicePid) {
  const holderSi = await stsToken(clientId, clientSecret, { audience: verifierDid, bearer_access_scope: scopes.join(' ') })
  const accessToken = JSON.parse(Buffer.from(holderSi.split('.')[1], 'base64url')).token
  const needed = Math.ceil(durationSeconds * 3 * 6000) + 4000
  const now = Math.floor(Date.now() / 1000)
  const header = base64urlJson({ alg: 'ES256', kid: verifier.kid })
  const tokens = new TokenStore(needed, () => {
    const claims = base64urlJson({ iss: verifierDid, sub: verifierDid, aud: holderDid, jti: randomUUID(), iat: now, exp: now + 600, token: accessToken })
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key: verifier.privateKey, dsaEncoding: 'ieee-p1363' })
    return `${header}.${claims}.${signature.toString('base64url')}`
  })

  const queryBody = JSON.stringify({ '@context': ['https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'], type: 'PresentationQueryMessage', scope: scopes })
  const queryRequest = {
    url: `http://127.0.0.1:${publicPort}/p/companyx/cs/presentations/query`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: queryBody,
    setupClient: (client) => {
      client.setHeaders({ 'content-type': 'application/json', authorization: `Bearer ${tokens.next()}` })
      client.on('response', () => client.setHeaders({ 'content-type': 'application/json', authorization: `Bearer ${tokens.next()}` }))
    },
  }
  await load({ ...queryRequest, duration: 2 })
  // RSS is sampled through the full-rate run: a single reading lands anywhere in a GC cycle.
  const rssSamples = []
  const sampler = setInterval(() => rssSamples.push(rssMegabytes(servicePid)), 250)
  const presentation = summary(await load(queryRequest))
  clearInterval(sampler)
  if (process.env.BENCH_RSS_TRACE) log(`RSS samples (MB): ${rssSamples.map((mb) => mb.toFixed(0)).join(" ")}`)
  rssSamples.sort((a, b) => a - b)
  const rssMb = rssSamples[Math.floor(rssSamples.length / 2)]
  const rssMaxMb = rssSamples[rssSamples.length - 1]
  const halfRate = Math.max(1, Math.floor(presentation.perSecond / 2))
  const halfLoad = await pacedLoad(queryRequest.url, queryBody, () => tokens.next(), halfRate, 2)
  log(`presentation queries: ${presentation.perSecond.toFixed(0)}/s (p50 ${presentation.p50Ms} ms, p99 ${presentation.p99Ms} ms), non-2xx ${presentation.non2xx}`)
  log(`at half that rate, paced (${halfRate}/s): p50 ${halfLoad.p50Ms} ms, p99 ${halfLoad.p99Ms} ms; generator delayed at most ${halfLoad.generatorDelayMaxMs} ms`)
  log(`service RSS at full rate: median ${rssMb.toFixed(0)} MB, highest ${rssMaxMb.toFixed(0)} MB`)
  return { presentation, halfLoad, rssMb, rssMaxMb }
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set; the benchmark runs on a real PostgreSQL')
  // BENCH_ONLY=sts or BENCH_ONLY=presentation measures one endpoint, for profiling it alone.
  const only = process.env.BENCH_ONLY
  if (only !== undefined && only !== 'sts' && only !== 'presentation') throw new Error(`BENCH_ONLY is ${JSON.stringify(only)}; expected "sts" or "presentation"`)
  const crypto = cryptoRates()
  log(`one-core ES256: ${crypto.signPerSecond.toFixed(0)} signs/s, ${crypto.verifyPerSecond.toFixed(0)} verifies/s`)

  const database = await createDatabase(process.env.DATABASE_URL)
  const verifier = await startVerifier()
  const service = startService(database.url)
  try {
    await waitForReady()
    const holder = await admin('/v1/participants', { id: 'companyx', did: holderDid, displayName: 'Company X', roles: ['holder'] })
    await holdCredentials(database.url)
    const { clientId, clientSecret } = holder.stsClient
    const result = {
      signPerSecond: Math.round(crypto.signPerSecond),
      verifyPerSecond: Math.round(crypto.verifyPerSecond),
    }
    if (only !== 'presentation') {
      const { sts, stsScoped } = await measureSts(clientId, clientSecret)
      Object.assign(result, {
        stsTokensPerSecond: Math.round(sts.perSecond),
        stsScopedTokensPerSecond: Math.round(stsScoped.perSecond),
        stsP50Ms: sts.p50Ms,
        stsP99Ms: sts.p99Ms,
        stsRatio: Number((sts.perSecond / crypto.signPerSecond).toFixed(3)),
      })
    }
    if (only !== 'sts') {
      const { presentation, halfLoad, rssMb, rssMaxMb } = await measurePresentations(clientId, clientSecret, verifier, service.pid)
      // The target's bound counts two verifications and one signature, as a query with a signed
      // access token needs. Access tokens carry a MAC now, so a query verifies one signature; the
      // second ratio is over that smaller amount of public-key work.
      const queryBound = 1 / (2 / crypto.verifyPerSecond + 1 / crypto.signPerSecond)
      const oneVerifyBound = 1 / (1 / crypto.verifyPerSecond + 1 / crypto.signPerSecond)
      Object.assign(result, {
        presentationsPerSecond: Math.round(presentation.perSecond),
        presentationP50Ms: presentation.p50Ms,
        presentationP99Ms: presentation.p99Ms,
        presentationP50AtHalfLoadMs: halfLoad.p50Ms,
        presentationP99AtHalfLoadMs: halfLoad.p99Ms,
        pacedGeneratorDelayMaxMs: halfLoad.generatorDelayMaxMs,
        presentationNon2xx: presentation.non2xx + halfLoad.non2xx + halfLoad.errors,
        presentationRatio: Number((presentation.perSecond / queryBound).toFixed(3)),
        presentationRatioOneVerify: Number((presentation.perSecond / oneVerifyBound).toFixed(3)),
        rssMb: Math.round(rssMb),
        rssMaxMb: Math.round(rssMaxMb),
      })
    }
    log(JSON.stringify(result))
  } finally {
    service.kill('SIGTERM')
    await new Promise((resolve) => service.on('exit', resolve))
    verifier.server.close()
    await database.drop()
  }
}

await main()
