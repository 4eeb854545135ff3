import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { loadConfig } from '../../src/config/config.js'
import { openKeyStore } from '../../src/keys/key-store.js'
import { createLogger } from '../../src/observability/logger.js'
import { applySeed } from '../../src/seed/apply-seed.js'
import { loadSeed, SeedError } from '../../src/seed/load-seed.js'
import { listAuditEvents } from '../../src/storage/audit-repository.js'
import { listDidServices } from '../../src/storage/did-service-repository.js'
import { listCredentialDefinitions } from '../../src/storage/issuer-definition-repository.js'
import { listIssuerHolders } from '../../src/storage/issuer-holder-repository.js'
import { migrate } from '../../src/storage/migrate.js'
import { findParticipant } from '../../src/storage/participant-repository.js'
import { findStsClientCredential } from '../../src/storage/sts-client-repository.js'
import { listTrustedIssuers } from '../../src/storage/trusted-issuer-repository.js'
import { listVerifierRules } from '../../src/storage/verifier-access-repository.js'
import { secretMatches } from '../../src/participants/api-key-secret.js'
import { runCli } from '../helpers/cli.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'

const dir = mkdtempSync(join(tmpdir(), 'dcp-seed-'))
const secretFile = join(dir, 'sts-secret')
writeFileSync(secretFile, 'x'.repeat(40))

function seedFile(name: string, content: string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const baseYaml = `
participants:
  - id: companyx
    did: did:web:localhost%3A8080:companyx
    displayName: Company X
    roles: [holder]
    keys: [{ usages: [sign_token, sign_presentation] }]
    sts: { clientSecretFile: ${secretFile} }
    services:
      - { id: dsp, type: DataService, serviceEndpoint: "https://x.example/api/dsp" }
    trustedIssuers: [did:web:localhost%3A8080:authority]
  - id: authority
    did: did:web:localhost%3A8080:authority
    roles: [issuer]
    credentialDefinitions: [tractus-x]
    holders:
      - { did: "did:web:localhost%3A8080:companyx", name: Company X, attributes: { bpn: BPNL000000000001 } }
`

t.test('loading and validation', async (t) => {
  const yaml = loadSeed(seedFile('ok.yaml', baseYaml))
  t.equal(yaml.participants.length, 2)
  const json = loadSeed(seedFile('ok.json', JSON.stringify(yaml)))
  t.same(json, yaml, 'JSON files load as well')

  const cases: Array<[string, string, string]> = [
    ['bad role', baseYaml.replace('roles: [holder]', 'roles: [admin]'), 'is invalid at "participants.0.roles.0"'],
    ['unknown field', baseYaml.replace('displayName: Company X', 'colour: red'), 'is invalid at "participants.0.colour": unknown field'],
    ['bad DID', baseYaml.replace('did: did:web:localhost%3A8080:authority', 'did: did:key:z6Mk'), 'is invalid at "participants.1.did"'],
    ['duplicate id', baseYaml.replace('id: authority', 'id: companyx'), 'is invalid at "participants.1.id": "companyx" appears twice'],
    ['not YAML', 'participants: [', 'is not valid YAML or JSON'],
  ]
  for (const [name, content, expected] of cases) {
    const path = seedFile(`${name.replace(/ /g, '-')}.yaml`, content)
    const error = (() => {
      try {
        loadSeed(path)
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    t.type(error, SeedError, name)
    t.match((error as Error).message, expected, name)
  }
  t.throws(() => loadSeed(join(dir, 'missing.yaml')), { message: `cannot read seed file "${join(dir, 'missing.yaml')}": ENOENT` })
})

for (const kind of databaseKinds) {
  t.test(`${kind}: applying a seed`, async (t) => {
    const db = await createTestDatabase(t, kind)
    await migrate(db)
    const logger = createLogger('silent')
    const config = loadConfig({ MASTER_KEY: 'a'.repeat(64), ...(kind === 'postgres' ? { DATABASE_URL: process.env.DATABASE_URL! } : {}) })
    const store = openKeyStore(config, db, logger)
    t.teardown(() => store.close())
    const options = { db, keyManager: store.keyManager, logger }

    const first = await applySeed(loadSeed(seedFile('first.yaml', baseYaml)), options)
    t.ok(first.length >= 8, 'participants, STS clients, keys, service and trusted issuer created')
    t.equal((await findParticipant(db, 'authority'))?.displayName, 'authority', 'display name defaults to the id')
    const credential = await findStsClientCredential(db, 'did:web:localhost%3A8080:companyx')
    t.ok(credential && secretMatches('x'.repeat(40), credential.secretHash), 'secret taken from the file')
    t.same((await store.keyManager.list('authority')).map((key) => key.usages), [['sign_token', 'sign_credentials']])
    t.same(
      (await listCredentialDefinitions(db, 'authority')).map((definition) => definition.credentialType).sort(),
      ['BpnCredential', 'DataExchangeGovernanceCredential', 'MembershipCredential'],
    )
    t.same((await listIssuerHolders(db, 'authority')).map((holder) => holder.attributes), [{ bpn: 'BPNL000000000001' }])

    t.test('applying again changes nothing', async (t) => {
      t.same(await applySeed(loadSeed(seedFile('again.yaml', baseYaml)), options), [])
    })

    t.test('a change in the file is applied as a change', async (t) => {
      const changed = baseYaml
        .replace('displayName: Company X', 'displayName: Company X AG')
        .replace('https://x.example/api/dsp', 'https://x.example/api/v2/dsp')
        .replace('trustedIssuers: [did:web:localhost%3A8080:authority]', 'trustedIssuers: [{ did: "did:web:localhost%3A8080:authority", credentialTypes: [MembershipCredential] }]')
        .replace('keys: [{ usages: [sign_token, sign_presentation] }]', 'keys: [{ usages: [sign_token, sign_presentation] }, { usages: [sign_credentials] }]')
      const changes = await applySeed(loadSeed(seedFile('changed.yaml', changed)), options)
      t.same(
        changes.map((change) => change.description.replace(/key-[a-z0-9-]+/, 'key-*')),
        [
          'display name or roles changed',
          'key key-* created for sign_credentials',
          'service dsp changed',
          'trusted issuer did:web:localhost%3A8080:authority changed',
        ],
      )
      t.equal((await findParticipant(db, 'companyx'))?.displayName, 'Company X AG')
      t.equal((await listDidServices(db, 'companyx'))[0]?.serviceEndpoint, 'https://x.example/api/v2/dsp')
      t.same((await listTrustedIssuers(db, 'companyx'))[0]?.credentialTypes, ['MembershipCredential'])

      const issuerChanged = changed.replace('bpn: BPNL000000000001', 'bpn: BPNL000000000002').replace(
        'credentialDefinitions: [tractus-x]',
        'credentialDefinitions: [{ id: membership, credentialType: MembershipCredential, claims: { holderIdentifier: { attribute: bpn } } }]',
      )
      const issuerChanges = await applySeed(loadSeed(seedFile('issuer.yaml', issuerChanged)), options)
      t.same(issuerChanges.map((change) => change.description).sort(), [
        'credential definition bpn-credential removed',
        'credential definition data-exchange-governance-credential removed',
        'credential definition membership added',
        'credential definition membership-credential removed',
        'holder did:web:localhost%3A8080:companyx changed',
      ])
      t.same(await applySeed(loadSeed(seedFile('issuer-again.yaml', issuerChanged)), options), [], 'issuer data is idempotent too')

      const removed = issuerChanged.replace(/ {4}services:\n.*\n/, '    services: []\n').replace(/trustedIssuers: .*\n/, 'trustedIssuers: []\n')
      const removals = await applySeed(loadSeed(seedFile('removed.yaml', removed)), options)
      t.same(removals.map((change) => change.description), ['service dsp removed', 'trusted issuer did:web:localhost%3A8080:authority removed'])
      const audit = await listAuditEvents(db, { actor: 'seed', limit: 100 })
      t.equal(audit.length, first.length + changes.length + issuerChanges.length + removals.length, 'every change is audited')
    })

    t.test('access policies are added, changed and removed', async (t) => {
      const policyYaml = (policies: string) =>
        ['participants:', '  - id: companyp', '    did: did:web:localhost%3A8080:companyp', '    roles: [holder]', `    accessPolicies: ${policies}`].join('\n')
      const verifierY = 'did:web:localhost%3A8080:companyy'
      const verifierZ = 'did:web:localhost%3A8080:companyz'
      const added = await applySeed(
        loadSeed(seedFile('policies.yaml', policyYaml(`[{ verifierDid: "${verifierY}", deny: [BpnCredential] }, { verifierDid: "${verifierZ}", allow: [MembershipCredential] }]`))),
        options,
      )
      t.same(
        added.map((change) => change.description).filter((description) => description.startsWith('access policy')),
        [`access policy for ${verifierY} added`, `access policy for ${verifierZ} added`],
      )
      t.same(
        (await listVerifierRules(db, 'companyp')).map((rule) => [rule.verifierDid, rule.effect, rule.credentialType]),
        [
          [verifierY, 'deny', 'BpnCredential'],
          [verifierZ, 'allow', 'MembershipCredential'],
        ],
      )

      const same = `[{ verifierDid: "${verifierZ}", allow: [MembershipCredential, MembershipCredential] }, { verifierDid: "${verifierY}", deny: [BpnCredential], allow: [] }]`
      t.same(await applySeed(loadSeed(seedFile('policies-again.yaml', policyYaml(same))), options), [], 'order and duplicates are no change')

      const changed = await applySeed(loadSeed(seedFile('policies-changed.yaml', policyYaml(`[{ verifierDid: "${verifierY}", deny: [BpnCredential, DataExchangeGovernanceCredential] }]`))), options)
      t.same(changed.map((change) => change.description), [`access policy for ${verifierZ} removed`, `access policy for ${verifierY} changed`])
      t.same(
        (await listVerifierRules(db, 'companyp')).map((rule) => rule.credentialType),
        ['BpnCredential', 'DataExchangeGovernanceCredential'],
      )

      const error = (() => {
        try {
          return loadSeed(seedFile('policies-bad.yaml', policyYaml('[{ verifierDid: "not-a-did" }]')))
        } catch (caught) {
          return caught
        }
      })()
      t.type(error, SeedError)
      t.match((error as Error).message, 'is invalid at "participants.0.accessPolicies.0.verifierDid"')
    })

    t.test('a file that cannot be applied changes nothing', async (t) => {
      const bad = [
        'participants:',
        '  - { id: companyz, did: "did:web:z.example", roles: [holder] }',
        '  - { id: companyx, did: "did:web:elsewhere.example", roles: [holder] }',
      ].join('\n')
      const error = await applySeed(loadSeed(seedFile('bad.yaml', bad)), options).catch((e: unknown) => e)
      t.type(error, SeedError)
      t.equal((error as Error).message, 'participant "companyx" has DID "did:web:localhost%3A8080:companyx"; a seed cannot change a DID to "did:web:elsewhere.example"')
      t.equal(await findParticipant(db, 'companyz'), undefined, 'the participant before the failure was rolled back')
    })

    t.test('relaxedDataModel of a trusted issuer is applied', async (t) => {
      const issuerDid = 'did:web:localhost%3A8083:issuer'
      const relaxed = (value: boolean) =>
        [
          'participants:',
          '  - id: companyw',
          '    did: did:web:localhost%3A8080:companyw',
          '    roles: [holder]',
          `    trustedIssuers: [{ did: "${issuerDid}", relaxedDataModel: ${value} }]`,
        ].join('\n')
      await applySeed(loadSeed(seedFile('relaxed.yaml', relaxed(true))), options)
      t.same(
        (await listTrustedIssuers(db, 'companyw')).map((issuer) => [issuer.issuerDid, issuer.relaxedDataModel]),
        [[issuerDid, true]],
      )
      t.same(await applySeed(loadSeed(seedFile('relaxed-again.yaml', relaxed(true))), options), [], 'applying again changes nothing')

      const strict = await applySeed(loadSeed(seedFile('strict.yaml', relaxed(false))), options)
      t.same(strict.map((change) => change.description), [`trusted issuer ${issuerDid} changed`])
      t.equal((await listTrustedIssuers(db, 'companyw'))[0]?.relaxedDataModel, false)
    })
  })
}

t.test('seed command applies a file and reports changes', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dcp-seed-cli-'))
  const path = seedFile('cli.yaml', baseYaml)
  const first = await runCli(['seed', path], { DATA_DIR: dataDir })
  t.equal(first.code, 0, first.stderr)
  t.match(first.stdout, /^companyx: created with DID did:web:localhost%3A8080:companyx$/m)
  t.match(first.stdout, /\d+ changes applied\n$/)
  const second = await runCli(['seed', path], { DATA_DIR: dataDir })
  t.equal(second.code, 0)
  t.equal(second.stdout, 'seed already applied: nothing changed\n')
  const bad = await runCli(['seed', seedFile('cli-bad.yaml', 'participants: 3')], { DATA_DIR: dataDir })
  t.equal(bad.code, 1)
  t.match(bad.stderr, /^dcp-identity: seed file ".*cli-bad.yaml" is invalid at "participants"/)
})
