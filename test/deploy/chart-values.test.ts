import { join } from 'node:path'
import t from 'tap'
import { repoRoot, run } from './tools.js'

// The values builders of scripts/lib/values.sh, called directly for each connector release.
// The expected keys and variable names were read from the templates of tractusx-connector
// 0.9.0 to 0.13.0-rc3, bdrs-server 0.6.0, vault 0.28.0, Bitnami postgresql 15.2.1 and
// CloudPirates postgres 0.18.3 (see "Chart versions the values were checked against" in
// docs/deploy-aws.md).

const environment = {
  DOMAIN: 'example.com',
  CLUSTER: 'dcp-identity',
  REGION: 'eu-central-1',
  CERTIFICATE_ARN: 'arn:aws:acm:eu-central-1:111122223333:certificate/fake',
  ISSUER_DID: 'did:web:issuer.example.com',
  BPN_DIRECTORY_URL: 'https://issuer.example.com/p/authority',
  VAULT_UNSEAL_ALIAS: 'alias/dcp-identity/dcp-identity/vault-unseal',
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function buildValues(call: string, extra: Record<string, string> = {}): any {
  const libraries = ['common.sh', 'participants.sh', 'values.sh'].map((file) => `. ${join(repoRoot, 'scripts', 'lib', file)}`)
  const script = ['set -euo pipefail', ...libraries, 'add_participant companyx', call].join('\n')
  const result = run('bash', ['-c', script], { ...environment, ...extra })
  if (result.status !== 0) throw new Error(`${call} failed: ${result.stderr}`)
  return JSON.parse(result.stdout)
}

const secretRef = (name: string, key: string) => ({ secretKeyRef: { name, key } })
const managementKey = secretRef('connector-api-keys', 'management-api-key')

interface Release {
  version: string
  layout: 'iatp' | 'dcp'
  /** Variable in which the chart passes controlplane.endpoints.management.authKey. */
  managementKeyVariable: string
  /** The chart sets WEB_HTTP_MANAGEMENT_AUTH_KEY and its auth type itself. */
  managementAuthFixed: boolean
  /** The chart has controlplane.endpoints.catalog and emits WEB_HTTP_CATALOG_AUTH_KEY. */
  catalogEndpoint: boolean
  /** The chart bundles Bitnami postgresql 15.2.1 in place of CloudPirates postgres 0.18.3. */
  bitnamiPostgresql: boolean
}

const releases: Release[] = [
  { version: '0.9.0', layout: 'iatp', managementKeyVariable: 'EDC_API_AUTH_KEY', managementAuthFixed: true, catalogEndpoint: true, bitnamiPostgresql: true },
  { version: '0.10.0', layout: 'iatp', managementKeyVariable: 'EDC_HTTP_MANAGEMENT_AUTH_KEY', managementAuthFixed: false, catalogEndpoint: true, bitnamiPostgresql: true },
  { version: '0.10.3', layout: 'iatp', managementKeyVariable: 'WEB_HTTP_MANAGEMENT_AUTH_KEY', managementAuthFixed: true, catalogEndpoint: true, bitnamiPostgresql: true },
  { version: '0.11.0', layout: 'iatp', managementKeyVariable: 'EDC_HTTP_MANAGEMENT_AUTH_KEY', managementAuthFixed: false, catalogEndpoint: true, bitnamiPostgresql: true },
  { version: '0.11.2', layout: 'iatp', managementKeyVariable: 'WEB_HTTP_MANAGEMENT_AUTH_KEY', managementAuthFixed: true, catalogEndpoint: true, bitnamiPostgresql: true },
  { version: '0.12.1', layout: 'iatp', managementKeyVariable: 'WEB_HTTP_MANAGEMENT_AUTH_KEY', managementAuthFixed: true, catalogEndpoint: true, bitnamiPostgresql: true },
  { version: '0.13.0-rc3', layout: 'dcp', managementKeyVariable: 'WEB_HTTP_MANAGEMENT_AUTH_KEY', managementAuthFixed: true, catalogEndpoint: false, bitnamiPostgresql: false },
]

for (const release of releases) {
  t.test(`connector ${release.version} API keys`, async (t) => {
    const values = buildValues('connector_values companyx', {
      CONNECTOR_VERSION: release.version,
      CONNECTOR_LAYOUT: release.layout,
    })
    const controlplane = values.controlplane
    t.equal(controlplane.endpoints.management.authKey, 'set-from-secret', 'the chart value contains a placeholder')
    t.same(controlplane.envValueFrom[release.managementKeyVariable], managementKey, `${release.managementKeyVariable} comes from the Secret`)
    if (release.managementKeyVariable !== 'EDC_API_AUTH_KEY') {
      t.equal(controlplane.envValueFrom.EDC_API_AUTH_KEY, undefined, 'EDC 0.13 and later stop at start when edc.api.auth.key is set')
    }
    if (release.managementAuthFixed) {
      t.equal(controlplane.env, undefined, 'no extra plain variables')
    } else {
      t.same(controlplane.envValueFrom.WEB_HTTP_MANAGEMENT_AUTH_KEY, managementKey, 'the variable EDC reads comes from the Secret')
      t.equal(controlplane.env.WEB_HTTP_MANAGEMENT_AUTH_TYPE, 'tokenbased')
    }
    if (release.catalogEndpoint) {
      t.equal(controlplane.endpoints.catalog.authKey, 'set-from-secret', 'the catalog key value contains a placeholder')
      t.same(controlplane.envValueFrom.WEB_HTTP_CATALOG_AUTH_KEY, managementKey, 'the catalog key comes from the Secret')
    } else {
      t.equal(controlplane.endpoints.catalog, undefined, 'no catalog endpoint, which would add a Service port')
      t.equal(controlplane.envValueFrom.WEB_HTTP_CATALOG_AUTH_KEY, undefined)
    }
    t.same(values.dataplane.envValueFrom.TX_EDC_DPF_CONSUMER_PROXY_AUTH_APIKEY, secretRef('connector-api-keys', 'proxy-api-key'))
    t.equal(values.dataplane.endpoints.proxy.authKey, 'set-from-secret')
    for (const plane of ['controlplane', 'dataplane']) {
      t.same(values[plane].envValueFrom.EDC_VAULT_HASHICORP_TOKEN, secretRef('connector-vault-token', 'token'), `${plane} Vault token`)
    }
    t.equal(values.vault.hashicorp.url, 'http://vault.companyx.svc.cluster.local:8200')
    t.equal(values.vault.hashicorp.token, 'set-from-secret')
    t.equal(values.install.vault, false)
    t.equal(values.install.postgresql, true)
  })

  t.test(`connector ${release.version} PostgreSQL`, async (t) => {
    const values = buildValues('connector_values companyx', {
      CONNECTOR_VERSION: release.version,
      CONNECTOR_LAYOUT: release.layout,
    })
    const postgresql = values.postgresql
    t.equal(postgresql.auth.existingSecret, 'connector-postgresql-auth')
    t.equal(postgresql.auth.secretKeys.adminPasswordKey, 'postgres-password')
    t.equal(postgresql.auth.database, 'edc')
    if (release.bitnamiPostgresql) {
      t.equal(postgresql.image.repository, 'bitnamilegacy/postgresql')
      t.equal(postgresql.auth.username, 'edc')
      t.equal(postgresql.auth.secretKeys.userPasswordKey, 'password')
      t.same(postgresql.primary.persistence, { enabled: true, storageClass: 'gp3', size: '10Gi' })
      t.equal(postgresql.persistence, undefined, 'Bitnami keeps persistence under primary')
      for (const plane of ['controlplane', 'dataplane']) {
        t.same(values[plane].envValueFrom.EDC_DATASOURCE_DEFAULT_PASSWORD, secretRef('connector-postgresql-auth', 'password'), `${plane} database password`)
      }
    } else {
      t.equal(postgresql.image, undefined, 'the chart default image stays')
      t.equal(postgresql.auth.username, 'postgres')
      t.same(postgresql.persistence, { enabled: true, storageClass: 'gp3', size: '10Gi' })
      t.equal(postgresql.primary, undefined, 'CloudPirates has no primary section')
      t.equal(postgresql.customUser.name, '', 'no custom user, so the chart reads the auth Secret')
      for (const plane of ['controlplane', 'dataplane']) {
        t.equal(values[plane].envValueFrom.EDC_DATASOURCE_DEFAULT_PASSWORD, undefined, `${plane} gets the password from the chart`)
      }
    }
  })
}

t.test('connector 0.12 participant context', async (t) => {
  const values = buildValues('connector_values companyx', { CONNECTOR_VERSION: '0.12.1', CONNECTOR_LAYOUT: 'iatp' })
  t.match(values.participant.contextId, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/)
  t.equal(values.participant.id, 'BPNL000000000001')
  t.equal(values.iatp.id, 'did:web:companyx.example.com')
})

t.test('vault standalone config', async (t) => {
  const values = buildValues('vault_values')
  const config: string = values.server.standalone.config
  t.equal(values.server.standalone.enabled, true)
  t.equal(values.server.dev.enabled, false)
  t.notMatch(config, /disable_mlock/, 'the chart adds disable_mlock itself')
  t.match(config, /storage "file" \{\s*path = "\/vault\/data"\s*\}/)
  t.match(config, /seal "awskms" \{\s*region = "eu-central-1"\s*kms_key_id = "alias\/dcp-identity\/dcp-identity\/vault-unseal"\s*\}/)
  t.match(config, /tls_disable = 1/)
  t.same(values.server.dataStorage, { enabled: true, size: '2Gi', storageClass: 'gp3' })
  t.same(values.server.serviceAccount, { create: true, name: 'vault' })
  t.equal(values.injector.enabled, false)
})

t.test('bdrs-server values', async (t) => {
  const values = buildValues('bdrs_values')
  t.same(values.server.endpoints.management, { authKeyAlias: 'mgmt-api-key', authType: 'tokenbased' })
  t.same(values.server.envValueFrom.EDC_VAULT_HASHICORP_TOKEN, secretRef('connector-vault-token', 'token'))
  t.equal(values.vault.hashicorp.url, 'http://vault.authority.svc.cluster.local:8200')
  t.same(values.server.ingresses.map((ingress: { endpoints: string[] }) => ingress.endpoints), [['directory']])
  t.equal(values.postgresql.jdbcUrl, 'jdbc:postgresql://{{ .Release.Name }}-postgresql:5432/bdrs')
  t.equal(values.postgresql.auth.existingSecret, 'bdrs-postgresql-auth')
  t.equal(values.postgresql.auth.secretKeys.adminPasswordKey, 'postgres-password')
  t.equal(values.postgresql.auth.username, 'postgres')
  t.same(values.postgresql.persistence, { enabled: true, storageClass: 'gp3', size: '4Gi' })
})
