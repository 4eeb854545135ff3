// End-to-end run: two real EDC connectors authenticate each other through dcp-identity and
// exchange a dataset. For each connector combination it starts dcp-identity on a fresh PostgreSQL
// database with a data space authority (issuer and BPN directory) and two participants, a loopback
// HTTP data source, and a provider and a consumer connector. Then, through the management APIs: the
// provider offers the dataset, the consumer reads the catalog over DSP, negotiates, receives the
// data through the provider's data plane and compares the bytes. Finally the authority revokes the
// consumer's MembershipCredential and the next catalog request must fail.
//
// Usage: node test/e2e/run-e2e.mjs [--connectors tractusx-0.10,edc-0.15] (default: both, one after
// the other). Needs `npm run build`, Java 17, Maven and DATABASE_URL (default
// postgres://dcp:dcp@127.0.0.1:5432/dcp) whose role may create databases. Every address that a
// process is configured to call is loopback. Exit code 0 when every step of every combination
// passed, 1 otherwise; on failure the logs of the service and both connectors are printed.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs, stripVTControlCharacters } from 'node:util'
import edc015 from './edc-0.15.mjs'
import {
  adminClient,
  assetId,
  awaitCredentials,
  buildConnector,
  checkPortsFree,
  createDatabase,
  createRun,
  datasetFile,
  dropDatabase,
  edcNamespace,
  expectStatus,
  log,
  management,
  poll,
  printLogs,
  repoRoot,
  revokeMembership,
  serviceLogEntries,
  sinkPath,
  startConnector,
  startDataSource,
  startService,
  step,
  StepError,
  stopAll,
  waitForConnector,
  writeProperties,
  writeSeed,
} from './harness.mjs'
import tractusx010 from './tractusx-0.10.mjs'

const combinations = Object.fromEntries([tractusx010, edc015].map((combination) => [combination.name, combination]))

// ---------------------------------------------------------------------------------------------
// Management API flow

async function offerDataset(run, combination, provider) {
  const api = management(run, provider)
  const context = { '@vocab': edcNamespace }
  await expectStatus('create asset', api.post('/v3/assets', {
    '@context': context,
    '@id': assetId,
    properties: { name: 'CO2 intensity of road freight vehicles', contenttype: 'application/json' },
    dataAddress: { '@type': 'DataAddress', type: 'HttpData', baseUrl: `http://127.0.0.1:${run.sourcePort}/${assetId}`, proxyPath: 'false' },
  }), 200)
  await expectStatus('create policy', api.post('/v3/policydefinitions', {
    '@context': ['http://www.w3.org/ns/odrl.jsonld', { '@vocab': edcNamespace, ...combination.policyContext }],
    '@type': 'PolicyDefinition',
    '@id': 'dataset-policy',
    policy: combination.policy,
  }), 200)
  await expectStatus('create contract definition', api.post('/v3/contractdefinitions', {
    '@context': context,
    '@id': 'carbon-emissions-offer',
    accessPolicyId: 'dataset-policy',
    contractPolicyId: 'dataset-policy',
    assetsSelector: [{ operandLeft: `${edcNamespace}id`, operator: '=', operandRight: assetId }],
  }), 200)
}

function requestCatalog(run, combination, consumer, provider) {
  return management(run, consumer).post('/v3/catalog/request', {
    '@context': { '@vocab': edcNamespace },
    '@type': 'CatalogRequest',
    counterPartyAddress: provider.dspAddress,
    counterPartyId: provider.participantId,
    protocol: combination.protocol,
    querySpec: { offset: 0, limit: 50 },
  })
}

/** Returns the catalog's datasets; DSP 0.8 catalogs use the `dcat:` prefix, DSP 2025-1 catalogs plain terms. */
function datasetsOf(catalog) {
  const datasets = catalog['dcat:dataset'] ?? catalog.dataset ?? []
  return Array.isArray(datasets) ? datasets : [datasets]
}

/**
 * Builds the ContractRequest for the catalog's offer. A DSP 0.8 catalog compacts the offer with
 * `odrl:` prefixes under its own context, which the management API also reads. A DSP 2025-1 catalog
 * uses plain terms of the DSP 2025-1 context, which EDC 0.15's management API does not expand, so
 * the offer is restated under the ODRL context.
 */
function contractRequest(combination, provider, catalog) {
  const dataset = datasetsOf(catalog).find((entry) => entry['@id'] === assetId)
  if (!dataset) throw new Error(`the catalog has no dataset ${assetId}: ${JSON.stringify(catalog).slice(0, 2000)}`)
  const prefixed = dataset['odrl:hasPolicy'] !== undefined
  const policies = prefixed ? dataset['odrl:hasPolicy'] : dataset.hasPolicy
  const offer = { ...(Array.isArray(policies) ? policies[0] : policies) }
  if (prefixed) {
    offer['odrl:assigner'] ??= { '@id': provider.participantId }
    offer['odrl:target'] ??= { '@id': assetId }
    return {
      '@context': catalog['@context'],
      '@type': `${edcNamespace}ContractRequest`,
      [`${edcNamespace}counterPartyAddress`]: provider.dspAddress,
      [`${edcNamespace}protocol`]: combination.protocol,
      [`${edcNamespace}policy`]: offer,
    }
  }
  offer.assigner ??= provider.participantId
  offer.target ??= assetId
  return {
    '@context': ['http://www.w3.org/ns/odrl.jsonld', { '@vocab': edcNamespace }],
    '@type': 'ContractRequest',
    counterPartyAddress: provider.dspAddress,
    protocol: combination.protocol,
    policy: offer,
  }
}

async function negotiate(run, combination, consumer, provider, catalog) {
  const api = management(run, consumer)
  const created = await expectStatus('start negotiation', api.post('/v3/contractnegotiations', contractRequest(combination, provider, catalog)), 200)
  const negotiationId = created.json['@id']
  return poll(`negotiation ${negotiationId} FINALIZED`, async () => {
    const negotiation = (await expectStatus('read negotiation', api.get(`/v3/contractnegotiations/${negotiationId}`), 200)).json
    if (negotiation.state === 'TERMINATED') throw new StepError(`negotiation terminated: ${negotiation.errorDetail ?? JSON.stringify(negotiation)}`)
    return negotiation.state === 'FINALIZED' ? negotiation.contractAgreementId : undefined
  })
}

async function startTransfer(run, combination, consumer, provider, agreementId, transferType, dataDestination, awaitedState) {
  const api = management(run, consumer)
  const created = await expectStatus('start transfer', api.post('/v3/transferprocesses', {
    '@context': { '@vocab': edcNamespace },
    '@type': 'TransferRequest',
    counterPartyAddress: provider.dspAddress,
    protocol: combination.protocol,
    contractId: agreementId,
    assetId,
    transferType,
    dataDestination,
  }), 200)
  const transferId = created.json['@id']
  await poll(`transfer ${transferId} ${awaitedState}`, async () => {
    const transfer = (await expectStatus('read transfer', api.get(`/v3/transferprocesses/${transferId}`), 200)).json
    if (transfer.state === 'TERMINATED') throw new StepError(`transfer terminated: ${transfer.errorDetail ?? JSON.stringify(transfer)}`)
    return transfer.state === awaitedState
  })
  return transferId
}

/** Starts an HttpData-PULL transfer, reads the EDR and fetches the data from the provider's data plane. */
async function pullData(run, combination, consumer, provider, agreementId) {
  const transferId = await startTransfer(run, combination, consumer, provider, agreementId, 'HttpData-PULL', { type: 'HttpProxy' }, 'STARTED')
  const api = management(run, consumer)
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

/** Starts an HttpData-PUSH transfer to the loopback sink and returns the body that the sink received. */
async function pushData(run, combination, consumer, provider, agreementId) {
  const destination = { type: 'HttpData', baseUrl: `http://127.0.0.1:${run.sourcePort}${sinkPath}` }
  await startTransfer(run, combination, consumer, provider, agreementId, 'HttpData-PUSH', destination, 'COMPLETED')
  if (run.pushed.length !== 1) throw new Error(`the sink received ${run.pushed.length} bodies, expected 1`)
  return run.pushed[0]
}

// ---------------------------------------------------------------------------------------------

/** Runs every step for one connector combination; returns true when all passed. */
async function runCombination(combination) {
  const started = Date.now()
  const run = createRun(combination.name, combination.portBase)
  activeRun = run
  combination.configure(run)
  log(`${combination.name}: ${combination.description}; work folder ${run.workDir}`)
  const { provider, consumer } = run.connectors
  const dataset = readFileSync(datasetFile)
  let database
  let source
  let failed = false
  try {
    await step('check that the ports are free', () => checkPortsFree(run))
    await step(`build ${combination.name} connector runtime (Maven)`, async () => buildConnector(combination.connectorDir))
    if (!existsSync(join(repoRoot, 'dist'))) throw new Error('dist/ is missing; run npm run build first')
    database = await step('create database', createDatabase)
    const adminToken = await step('start dcp-identity with the seed', () => startService(run, database.url, writeSeed(run, combination.credentialTypes)))
    const admin = adminClient(run, adminToken)
    // The connectors boot while the wallets are filled: the JVM start is the slowest step.
    await step('start connectors', async () => {
      for (const connector of [provider, consumer]) {
        startConnector(run, connector, combination.connectorDir, writeProperties(run, connector, combination.settings(run, connector)))
      }
    })
    source = await step('start data source', () => startDataSource(run, dataset))
    for (const connector of [provider, consumer]) {
      await step(`${connector.id} receives ${combination.credentialTypes.join(', ')} over DCP`, () => awaitCredentials(run, admin, connector, combination.credentialTypes))
    }
    for (const connector of [provider, consumer]) {
      await step(`${connector.id} connector ready`, () => waitForConnector(connector))
    }
    await step('provider offers the dataset', () => offerDataset(run, combination, provider))
    const catalog = await step('consumer requests the catalog', async () => {
      const response = await expectStatus('catalog request', requestCatalog(run, combination, consumer, provider), 200)
      writeFileSync(join(run.workDir, 'catalog.json'), response.text)
      return response.json
    })
    const agreementId = await step('consumer negotiates a contract', () => negotiate(run, combination, consumer, provider, catalog))
    const received = combination.transfer === 'pull'
      ? await step('consumer pulls the data through the provider data plane', () => pullData(run, combination, consumer, provider, agreementId))
      : await step('provider data plane pushes the data to the sink', () => pushData(run, combination, consumer, provider, agreementId))
    await step('received bytes equal the source', async () => {
      if (!received.equals(dataset)) {
        throw new Error(`received ${received.length} bytes differ from the ${dataset.length} source bytes: ${received.toString('utf8').slice(0, 500)}`)
      }
    })
    await step(`every presentation query used DCP ${combination.dcpVersion}`, async () => {
      const queries = serviceLogEntries(run, 'presentation query answered')
      if (queries.length === 0) throw new Error('the service answered no presentation query')
      const versions = [...new Set(queries.map((entry) => entry.dcpVersion))]
      if (versions.length !== 1 || versions[0] !== combination.dcpVersion) {
        throw new Error(`the ${queries.length} presentation queries used DCP ${versions.join(', ')}`)
      }
      log(`${queries.length} presentation queries, all DCP ${combination.dcpVersion}`)
    })
    await step('authority revokes the consumer membership', () => revokeMembership(run, admin, consumer))
    await step('catalog request after revocation is rejected', async () => {
      const response = await requestCatalog(run, combination, consumer, provider)
      if (response.status === 200) {
        const offered = datasetsOf(response.json).some((entry) => entry['@id'] === assetId)
        throw new Error(`catalog request succeeded after revocation${offered ? ' and still offers the dataset' : ' (without the dataset)'}`)
      }
      log(`catalog request after revocation: HTTP ${response.status} ${response.text.slice(0, 300)}`)
      // The provider logs the reason at DEBUG level only.
      const reasons = readFileSync(provider.logFile, 'utf8').match(/Unauthorized: .*/g) ?? []
      if (reasons.length > 0) log(`provider: ${stripVTControlCharacters(reasons.at(-1))}`)
    })
    log(`${combination.name}: PASSED in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  } catch (error) {
    failed = true
    log(`${combination.name}: FAILED: ${error instanceof Error ? error.message : String(error)}`)
    printLogs(run)
  } finally {
    if (source) source.close()
    await stopAll(run)
    if (database) await dropDatabase(database.name).catch((error) => log(`dropping database ${database.name} failed: ${error.message}`))
  }
  // The folder contains the logs, and also the STS secrets and signing keys of this run.
  if (failed) log(`logs and settings kept in ${run.workDir}`)
  else rmSync(run.workDir, { recursive: true, force: true })
  return !failed
}

/** The run whose processes a SIGINT or SIGTERM stops. */
let activeRun

async function main() {
  const { values } = parseArgs({ options: { connectors: { type: 'string', default: Object.keys(combinations).join(',') } } })
  const selected = values.connectors.split(',').map((name) => name.trim()).filter((name) => name !== '')
  const unknown = selected.filter((name) => !(name in combinations))
  if (unknown.length > 0) {
    log(`unknown --connectors value ${unknown.join(', ')}; expected a comma-separated list of ${Object.keys(combinations).join(', ')}`)
    process.exitCode = 2
    return
  }
  const results = []
  for (const name of selected) {
    results.push({ name, passed: await runCombination(combinations[name]) })
  }
  const passed = results.filter((result) => result.passed).length
  log(results.map((result) => `${result.name}: ${result.passed ? 'passed' : 'failed'}`).join(', '))
  process.stdout.write(`${passed} passed, ${results.length - passed} failed\n`)
  process.exitCode = passed === results.length ? 0 : 1
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    const stopped = activeRun ? stopAll(activeRun) : Promise.resolve()
    void stopped.then(() => process.exit(130))
  })
}

await main()
