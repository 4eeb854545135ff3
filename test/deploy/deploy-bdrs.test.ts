import t from 'tap'
import { FakeCloud, creatingCalls, image } from './fake-cloud.js'

// scripts/deploy runs here against hand-written fakes of the AWS and Kubernetes command-line
// tools (fake-cloud.ts), because no real cluster or AWS account can run in this environment.
// Each run of the script spawns about 160 fake calls, so the file gets more time than the default.
t.setTimeout(600_000)

t.test('bdrs chart is seeded with every BPN', async (t) => {
  const cloud = new FakeCloud()
  const result = cloud.deploy([...image, '--bdrs-chart'])
  t.equal(result.status, 0, result.stderr)
  t.same(cloud.state.bdrs, {
    BPNL000000000001: 'did:web:companyx.example.com',
    BPNL000000000002: 'did:web:companyy.example.com',
  })
  const bdrs = cloud.values('authority', 'values-bdrs-server.json')
  t.same(bdrs.server.trustedIssuers, ['did:web:issuer.example.com'])
  t.same(bdrs.server.ingresses[0].endpoints, ['directory'])
  t.equal(bdrs.postgresql.persistence.enabled, true)
  t.ok(cloud.state.vault.authority.secrets['mgmt-api-key'], 'the management key is in the authority Vault')
  t.equal(cloud.values('companyx', 'values-connector.json').controlplane.bdrs.server.url, 'https://bdrs.example.com/api/directory')

  cloud.clearCalls()
  t.equal(cloud.deploy([...image, '--bdrs-chart']).status, 0)
  t.same(creatingCalls(cloud.calls), [], 'registered BPNs are not posted again')
})
