import t from 'tap'
import { FakeCloud, creatingCalls, image, indexOfCall, stepTitles } from './fake-cloud.js'

// scripts/deploy runs here against hand-written fakes of the AWS and Kubernetes command-line
// tools (fake-cloud.ts), because no real cluster or AWS account can run in this environment.
// Each run of the script spawns about 160 fake calls, so the file gets more time than the default.
t.setTimeout(600_000)

t.test('deploy with 0.9.0 writes iatp values', async (t) => {
  const cloud = new FakeCloud()
  const result = cloud.deploy([...image, '--connector-version', '0.9.0'])
  t.equal(result.status, 0, result.stderr)
  const values = cloud.values('companyx', 'values-connector.json')
  t.equal(values.participant.id, 'BPNL000000000001')
  t.equal(values.participant.contextId, undefined)
  t.equal(values.participant.bpnl, undefined)
  t.equal(values.iatp.id, 'did:web:companyx.example.com')
  t.same(values.iatp.trustedIssuers, ['did:web:issuer.example.com'])
  t.equal(values.iatp.sts.oauth.token_url, 'http://dcp-identity-internal.companyx.svc.cluster.local:8081/sts/token')
  t.equal(values.iatp.sts.oauth.client.secret_alias, 'did:web:companyx.example.com-sts-client-secret')
  t.equal(values.iatp.sts.dim.url, '')
  t.equal(values.dcp, undefined, 'no dcp keys for the iatp layout')
  t.ok(values.controlplane.envValueFrom.EDC_API_AUTH_KEY, 'the 0.9 management key variable comes from a Secret')
  t.ok(values.controlplane.envValueFrom.EDC_DATASOURCE_DEFAULT_PASSWORD, 'the database password comes from a Secret')
  t.ok(values.controlplane.envValueFrom.WEB_HTTP_CATALOG_AUTH_KEY, 'the catalog key variable comes from a Secret')
  t.equal(values.postgresql.image.repository, 'bitnamilegacy/postgresql')
  t.equal(values.postgresql.primary.persistence.enabled, true)
  t.equal(values.postgresql.auth.existingSecret, 'connector-postgresql-auth')
  t.equal(cloud.state.helm['companyx/connector'].chart, 'tractusx-connector-0.9.0')
  t.match(result.stdout, 'counterPartyId\\": \\"BPNL000000000001')
})

t.test('participants option adds namespaces', async (t) => {
  const cloud = new FakeCloud()
  const result = cloud.deploy([...image, '--participants', 'companyx=BPNL00000000000A,companyy', '--participant', 'supplier'])
  t.equal(result.status, 0, result.stderr)
  for (const namespace of ['companyx', 'companyy', 'supplier']) {
    t.ok(cloud.state.helm[`${namespace}/connector`], `connector in ${namespace}`)
  }
  t.equal(cloud.values('companyx', 'values-connector.json').participant.bpnl, 'BPNL00000000000A')
  t.equal(cloud.values('supplier', 'values-connector.json').participant.bpnl, 'BPNL000000000003')
  t.equal(stepTitles(result.stdout).length, 14)
})

t.test('deploy builds and pushes the image', async (t) => {
  const cloud = new FakeCloud()
  const result = cloud.deploy([])
  t.equal(result.status, 0, result.stderr)
  const creating = creatingCalls(cloud.calls)
  t.not(indexOfCall(creating, /^aws ecr create-repository --repository-name dcp-identity/), -1)
  t.not(indexOfCall(creating, /^docker build --tag 111122223333\.dkr\.ecr\.eu-central-1\.amazonaws\.com\/dcp-identity:/), -1)
  t.not(indexOfCall(creating, /^docker push/), -1)
  t.match(cloud.values('companyx', 'values-dcp-identity.json').image.repository, '111122223333.dkr.ecr.eu-central-1.amazonaws.com/dcp-identity')
})
