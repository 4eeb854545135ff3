import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import { chartDirectory, requireHelm, run } from './tools.js'

// Renders the chart with the real helm (installed by .ci/install-helm.sh) and checks the
// manifests it produces. No cluster is involved: `helm template` and `helm lint` run offline.

// Rendered manifests are untyped YAML; the tests read the fields they check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec?: any; data?: any }

const helm = requireHelm()
const workDirectory = mkdtempSync(join(tmpdir(), 'dcp-identity-chart-'))

const externalDatabase = {
  publicBaseUrl: 'https://companyx.example.com',
  keyCustody: { mode: 'local', masterKey: { existingSecret: 'master-key' } },
  database: { existingSecret: 'database-url' },
}

const bundledDatabaseWithKms = {
  publicBaseUrl: 'https://issuer.example.com',
  keyCustody: { mode: 'aws-kms', kms: { region: 'eu-central-1', instanceTag: 'cluster/authority' } },
  postgresql: { enabled: true, persistence: { storageClass: 'gp3' } },
  adminToken: { existingSecret: 'admin', existingSecretKey: 'token' },
}

const everythingEnabled = {
  publicBaseUrl: 'https://companyx.example.com',
  keyCustody: { mode: 'kms-envelope', kms: { region: 'eu-central-1', envelopeKeyId: 'alias/wrap' } },
  database: { url: 'postgres://user:password@db.example.com:5432/identity' },
  ingress: {
    enabled: true,
    className: 'alb',
    annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' },
    hosts: [{ host: 'companyx.example.com', paths: [{ path: '/', pathType: 'Prefix' }] }, { host: 'other.example.com' }],
  },
  autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5 },
  networkPolicy: { enabled: true, internalFromNamespaces: ['monitoring'] },
  seed: { participants: [{ id: 'companyx', did: 'did:web:companyx.example.com', roles: ['holder'] }] },
  secretFiles: { data: { 'sts-client-secret': 'not-a-real-secret-value' } },
  config: { didWebHttpHosts: ['issuer.authority.svc.cluster.local'] },
}

const valueSets: Record<string, object> = { externalDatabase, bundledDatabaseWithKms, everythingEnabled }

function valuesFile(name: string, values: object): string {
  const path = join(workDirectory, `${name}.json`)
  writeFileSync(path, JSON.stringify(values))
  return path
}

function render(values: object): Manifest[] {
  const result = run(helm, ['template', 'release', chartDirectory, '--namespace', 'companyx', '--values', valuesFile('render', values)])
  if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`)
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null)
}

function renderError(values: object): string {
  const result = run(helm, ['template', 'release', chartDirectory, '--values', valuesFile('invalid', values)])
  return result.status === 0 ? '' : result.stderr
}

function find(manifests: Manifest[], kind: string, name?: string): Manifest | undefined {
  return manifests.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name))
}

function serverContainer(manifests: Manifest[]) {
  return find(manifests, 'Deployment')!.spec.template.spec.containers[0]
}

for (const [name, values] of Object.entries(valueSets)) {
  t.test(`helm lint passes with ${name}`, async (t) => {
    const result = run(helm, ['lint', chartDirectory, '--strict', '--values', valuesFile(`lint-${name}`, values)])
    t.equal(result.status, 0, result.stdout + result.stderr)
  })

  t.test(`probes and ports with ${name}`, async (t) => {
    const container = serverContainer(render(values))
    const ports = Object.fromEntries(container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]))
    t.same(ports, { public: 8080, internal: 8081 })
    t.same(container.startupProbe.httpGet, { path: '/health/live', port: 'internal' })
    t.same(container.livenessProbe.httpGet, { path: '/health/live', port: 'internal' })
    t.same(container.readinessProbe.httpGet, { path: '/health/ready', port: 'internal' })
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]))
    t.equal(env.INTERNAL_HOST, '0.0.0.0')
    t.equal(env.PUBLIC_HOST, '0.0.0.0')
    t.equal(env.ADMIN_TOKEN_FILE, '/var/run/secrets/dcp-identity-admin/admin-token')
    t.equal(env.NODE_OPTIONS, '--enable-source-maps --max-old-space-size=192 --v8-pool-size=1', 'heap sized below the memory limit, one V8 thread')
    t.equal(env.UV_THREADPOOL_SIZE, '1')
  })

  t.test(`security context with ${name}`, async (t) => {
    const manifests = render(values)
    const pod = find(manifests, 'Deployment')!.spec.template.spec
    t.equal(pod.securityContext.runAsNonRoot, true)
    t.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault')
    t.equal(pod.automountServiceAccountToken, false)
    const container = pod.containers[0]
    t.equal(container.securityContext.allowPrivilegeEscalation, false)
    t.equal(container.securityContext.readOnlyRootFilesystem, true)
    t.same(container.securityContext.capabilities.drop, ['ALL'])
    const tmp = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp')
    t.ok(tmp, 'a writable /tmp is mounted')
    t.ok(pod.volumes.find((v: { name: string; emptyDir?: object }) => v.name === 'tmp' && v.emptyDir), '/tmp is an emptyDir')
  })

  t.test(`secrets are referenced, not inlined, with ${name}`, async (t) => {
    const manifests = render(values)
    const container = serverContainer(manifests)
    const names = container.env.map((e: { name: string }) => e.name)
    t.notOk(names.includes('ADMIN_TOKEN'), 'no ADMIN_TOKEN variable')
    t.notOk(names.includes('MASTER_KEY'), 'no MASTER_KEY variable')
    const databaseUrl = container.env.find((e: { name: string }) => e.name === 'DATABASE_URL')
    if (databaseUrl.valueFrom) {
      t.ok(databaseUrl.valueFrom.secretKeyRef, 'DATABASE_URL comes from a Secret')
    } else {
      t.match(databaseUrl.value, /\$\(DATABASE_PASSWORD\)/, 'the bundled database password is substituted from a Secret')
      const password = container.env.find((e: { name: string }) => e.name === 'DATABASE_PASSWORD')
      t.ok(password.valueFrom.secretKeyRef, 'DATABASE_PASSWORD comes from a Secret')
    }
    const deploymentText = JSON.stringify(find(manifests, 'Deployment'))
    t.notMatch(deploymentText, 'user:password@', 'the database URL is not in the Deployment')
    t.notMatch(deploymentText, 'not-a-real-secret-value', 'secret files are not in the Deployment')
  })

  t.test(`no internal port on an ingress with ${name}`, async (t) => {
    const manifests = render(values)
    const internalService = find(manifests, 'Service', 'release-dcp-identity-internal')!
    t.equal(internalService.spec.type, 'ClusterIP')
    for (const ingress of manifests.filter((m) => m.kind === 'Ingress')) {
      for (const rule of ingress.spec.rules) {
        for (const path of rule.http.paths) {
          t.equal(path.backend.service.name, 'release-dcp-identity-public', `${rule.host}${path.path} goes to the public Service`)
          t.same(path.backend.service.port, { name: 'public' })
        }
      }
    }
  })
}

t.test('ingress routes every host to the public listener', async (t) => {
  const ingress = find(render(everythingEnabled), 'Ingress')!
  t.equal(ingress.spec.ingressClassName, 'alb')
  t.same(
    ingress.spec.rules.map((r: { host: string }) => r.host),
    ['companyx.example.com', 'other.example.com'],
  )
  t.equal(ingress.spec.rules[1].http.paths[0].path, '/', 'a host without paths gets /')
})

t.test('HPA replaces the replica count', async (t) => {
  const manifests = render(everythingEnabled)
  t.equal(find(manifests, 'Deployment')!.spec.replicas, undefined)
  const hpa = find(manifests, 'HorizontalPodAutoscaler')!
  t.equal(hpa.spec.minReplicas, 2)
  t.equal(hpa.spec.maxReplicas, 5)
  t.equal(find(render(externalDatabase), 'HorizontalPodAutoscaler'), undefined)
  t.equal(find(render(externalDatabase), 'Deployment')!.spec.replicas, 2)
})

t.test('PodDisruptionBudget selects the server pods', async (t) => {
  const pdb = find(render(externalDatabase), 'PodDisruptionBudget')!
  t.equal(pdb.spec.maxUnavailable, 1)
  t.equal(pdb.spec.selector.matchLabels['app.kubernetes.io/component'], 'server')
})

t.test('seed becomes a mounted ConfigMap', async (t) => {
  const manifests = render(everythingEnabled)
  const configMap = find(manifests, 'ConfigMap', 'release-dcp-identity-seed')!
  const seed = parseAllDocuments(configMap.data['seed.yaml'])[0]!.toJS()
  t.same(seed, everythingEnabled.seed)
  const container = serverContainer(manifests)
  const seedFile = container.env.find((e: { name: string }) => e.name === 'SEED_FILE')
  t.equal(seedFile.value, '/etc/dcp-identity/seed/seed.yaml')
  t.ok(container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/etc/dcp-identity/seed'))
  t.notOk(find(render(externalDatabase), 'ConfigMap'), 'no seed, no ConfigMap')
})

t.test('KMS settings reach the environment', async (t) => {
  const env = Object.fromEntries(
    serverContainer(render(everythingEnabled)).env.map((e: { name: string; value?: string }) => [e.name, e.value]),
  )
  t.equal(env.KEY_CUSTODY, 'kms-envelope')
  t.equal(env.KMS_REGION, 'eu-central-1')
  t.equal(env.KMS_ENVELOPE_KEY_ID, 'alias/wrap')
  t.equal(env.KMS_ALIAS_PREFIX, 'alias/dcp-identity')
  t.equal(env.DID_WEB_HTTP_HOSTS, 'issuer.authority.svc.cluster.local')
  t.equal(env.MASTER_KEY_FILE, undefined, 'no master key outside local mode')
})

t.test('bundled PostgreSQL has a volume claim', async (t) => {
  const manifests = render(bundledDatabaseWithKms)
  const statefulSet = find(manifests, 'StatefulSet', 'release-dcp-identity-postgresql')!
  const claim = statefulSet.spec.volumeClaimTemplates[0]
  t.equal(claim.spec.storageClassName, 'gp3')
  t.equal(claim.spec.resources.requests.storage, '8Gi')
  t.equal(statefulSet.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem, true)
  t.ok(find(manifests, 'Secret', 'release-dcp-identity-postgresql'), 'a password Secret is generated')
  t.notOk(find(manifests, 'Secret', 'release-dcp-identity-database'), 'no database URL Secret')
  t.notOk(find(manifests, 'Secret', 'release-dcp-identity-admin-token'), 'the existing admin token Secret is used')
})

t.test('network policy limits the internal port', async (t) => {
  const policy = find(render(everythingEnabled), 'NetworkPolicy')!
  const internalRule = policy.spec.ingress.find((r: { ports: { port: string }[] }) => r.ports[0]!.port === 'internal')
  t.same(internalRule.from, [
    { podSelector: {} },
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
  ])
})

const rejected: Array<[string, object, string]> = [
  ['unknown key custody', { ...externalDatabase, keyCustody: { mode: 'vault' } }, "value must be one of 'local', 'aws-kms', 'kms-envelope'"],
  ['no database at all', { ...externalDatabase, database: {} }, 'allOf'],
  ['both databases', { ...externalDatabase, postgresql: { enabled: true } }, 'allOf'],
  ['local without master key', { ...externalDatabase, keyCustody: { mode: 'local' } }, 'keyCustody'],
  ['kms without region', { ...externalDatabase, keyCustody: { mode: 'aws-kms' } }, 'keyCustody'],
  ['envelope without key', { ...externalDatabase, keyCustody: { mode: 'kms-envelope', kms: { region: 'eu-central-1' } } }, 'keyCustody'],
  ['missing public URL', { ...externalDatabase, publicBaseUrl: '' }, '/publicBaseUrl'],
  ['ftp public URL', { ...externalDatabase, publicBaseUrl: 'ftp://example.com' }, '/publicBaseUrl'],
  ['zero replicas', { ...externalDatabase, replicaCount: 0 }, '/replicaCount'],
  ['replicas as text', { ...externalDatabase, replicaCount: 'two' }, '/replicaCount'],
  ['writable root filesystem', { ...externalDatabase, securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false } }, '/securityContext/readOnlyRootFilesystem'],
  ['root user', { ...externalDatabase, podSecurityContext: { runAsNonRoot: false } }, '/podSecurityContext/runAsNonRoot'],
  ['short admin token', { ...externalDatabase, adminToken: { value: 'short' } }, '/adminToken/value'],
  ['ingress without hosts', { ...externalDatabase, ingress: { enabled: true } }, '/ingress/hosts'],
  ['port out of range', { ...externalDatabase, ports: { public: 70000 } }, '/ports/public'],
  ['typo at top level', { ...externalDatabase, replicas: 3 }, "additional properties 'replicas' not allowed"],
  ['same ports', { ...externalDatabase, ports: { public: 9000, internal: 9000 } }, 'ports.internal: 9000 equals ports.public'],
  ['autoscaling bounds', { ...externalDatabase, autoscaling: { enabled: true, minReplicas: 4, maxReplicas: 2 } }, 'autoscaling.minReplicas: 4 is greater'],
  ['a heap too small to run', { ...externalDatabase, heapSizeMegabytes: 16 }, '/heapSizeMegabytes'],
  ['a thread pool without threads', { ...externalDatabase, threadPoolSize: 0 }, '/threadPoolSize'],
  ['V8 without threads', { ...externalDatabase, v8PoolSize: 0 }, '/v8PoolSize'],
  ['V8 threads set to null', { ...externalDatabase, v8PoolSize: null }, 'v8PoolSize is required'],
  ['thread pool set to null', { ...externalDatabase, threadPoolSize: null }, 'threadPoolSize is required'],
  ['heap size set to null', { ...externalDatabase, heapSizeMegabytes: null }, 'heapSizeMegabytes is required'],
  ['deletion window', { ...externalDatabase, keyCustody: { mode: 'aws-kms', kms: { region: 'eu-central-1', deletionWindowDays: 3 } } }, '/keyCustody/kms/deletionWindowDays'],
]

for (const [name, values, expected] of rejected) {
  t.test(`schema rejects ${name}`, async (t) => {
    const error = renderError(values)
    t.not(error, '', 'helm template fails')
    t.match(error, expected)
  })
}
