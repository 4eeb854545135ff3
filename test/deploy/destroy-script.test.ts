import t from 'tap'
import { creatingCalls, FakeCloud, image } from './fake-cloud.js'

// scripts/destroy runs here against hand-written fakes of the AWS and Kubernetes command-line
// tools (fake-cloud.ts), because no real cluster or AWS account can run in this environment.
// Each run of the scripts spawns many fake calls, so the file gets more time than the default.
t.setTimeout(600_000)

const deployed = new FakeCloud()
const deployment = deployed.deploy([])

// Keys that dcp-identity itself creates in KMS carry its instance tag; one belongs to another
// cluster and must stay.
deployed.updateState((state) => {
  state.kmsKeys['service-key-1'] = { state: 'Enabled', tags: { 'dcp-identity:instance': 'dcp-identity/companyx', 'dcp-identity:usage': 'sign_token' } }
  state.kmsKeys['service-key-2'] = { state: 'Enabled', tags: { 'dcp-identity:instance': 'dcp-identity/authority' } }
  state.kmsKeys['other-cluster-key'] = { state: 'Enabled', tags: { 'dcp-identity:instance': 'other/companyx' } }
  state.kmsAliases['alias/dcp-identity/dcp-identity/companyx/key-1'] = 'service-key-1'
  state.volumes = [{ VolumeId: 'vol-leftover', State: 'available' }]
})

t.test('deploy for destroy succeeds', async (t) => {
  t.equal(deployment.status, 0, deployment.stderr)
})

t.test('destroy removes what deploy created', async (t) => {
  const cloud = deployed.clone()
  const result = cloud.destroy(['--yes'])
  t.equal(result.status, 0, result.stderr)
  const state = cloud.state
  t.same(state.clusters, {}, 'the cluster is deleted')
  t.same(state.roles, {}, 'every IAM role is deleted')
  t.same(state.helm, {}, 'no Helm release is left')
  t.same(state.loadBalancers, [], 'the load balancer is deleted')
  t.same(state.ecrRepositories, {}, 'the image repository is deleted')
  t.same(state.volumes, [], 'leftover volumes are deleted')
  for (const key of ['key-1', 'service-key-1', 'service-key-2']) {
    t.equal(state.kmsKeys[key].state, 'PendingDeletion', `${key} is scheduled for deletion`)
  }
  t.equal(state.kmsKeys['other-cluster-key'].state, 'Enabled', "another cluster's key stays")
  t.same(state.kmsAliases, {}, 'the aliases are deleted')
  for (const removed of [
    'namespace companyx',
    'EKS cluster dcp-identity',
    'IAM role dcp-identity-dcp-identity',
    'KMS key service-key-1 (deleted in 7 days)',
    'ECR repository dcp-identity',
    'EBS volume vol-leftover',
  ]) {
    t.match(result.stdout, `  - ${removed}`, `reports ${removed}`)
  }
})

t.test('destroy deletes ingresses before the cluster', async (t) => {
  const cloud = deployed.clone()
  t.equal(cloud.destroy(['--yes']).status, 0)
  const calls = creatingCalls(cloud.calls)
  const ingress = calls.findIndex((line) => line.startsWith('kubectl delete ingress --all --namespace companyx'))
  const namespace = calls.findIndex((line) => line.startsWith('kubectl delete namespace companyx'))
  const controller = calls.findIndex((line) => line.startsWith('helm uninstall aws-load-balancer-controller'))
  const cluster = calls.findIndex((line) => line.startsWith('eksctl delete cluster'))
  t.not(ingress, -1)
  t.ok(ingress < namespace, 'ingresses before namespaces')
  t.ok(namespace < controller, 'namespaces before the load balancer controller')
  t.ok(controller < cluster, 'controllers before the cluster')
})

t.test('second destroy removes nothing', async (t) => {
  const cloud = deployed.clone()
  t.equal(cloud.destroy(['--yes']).status, 0)
  cloud.clearCalls()
  const second = cloud.destroy(['--yes'])
  t.equal(second.status, 0, second.stderr)
  t.same(creatingCalls(cloud.calls), [])
  t.match(second.stdout, 'Nothing to remove for cluster dcp-identity.')
})

t.test('destroy needs confirmation', async (t) => {
  const cloud = deployed.clone()
  const before = cloud.state
  const result = cloud.destroy([])
  t.equal(result.status, 1)
  t.match(result.stderr, 'add --yes to confirm')
  t.same(cloud.state, before)
  t.same(cloud.calls, [])
})

t.test('destroy dry run touches nothing', async (t) => {
  const cloud = deployed.clone()
  const before = cloud.state
  const result = cloud.destroy(['--dry-run'])
  t.equal(result.status, 0, result.stderr)
  t.same(cloud.state, before)
  t.same(cloud.calls, [])
  t.match(result.stdout, 'kubectl delete namespace companyx')
  t.match(result.stdout, 'eksctl delete cluster --name dcp-identity')
})

t.test('deploy after destroy starts afresh', async (t) => {
  const cloud = deployed.clone()
  t.equal(cloud.destroy(['--yes']).status, 0)
  const again = cloud.deploy(image)
  t.equal(again.status, 0, again.stderr)
  const state = cloud.state
  t.equal(state.kmsKeys['key-1'].state, 'PendingDeletion', 'the old unseal key stays scheduled for deletion')
  const unsealKey = state.kmsAliases['alias/dcp-identity/dcp-identity/vault-unseal']
  t.not(unsealKey, 'key-1', 'a new unseal key is created')
  t.equal(state.kmsKeys[unsealKey].state, 'Enabled')
  t.ok(state.clusters['dcp-identity'], 'the cluster is created again')
})

t.test('deploy restores a key pending deletion', async (t) => {
  const cloud = deployed.clone()
  cloud.updateState((state) => {
    state.kmsKeys['key-1'].state = 'PendingDeletion'
  })
  const again = cloud.deploy(image)
  t.equal(again.status, 0, again.stderr)
  t.equal(cloud.state.kmsKeys['key-1'].state, 'Enabled')
  t.match(again.stdout, 'aws kms cancel-key-deletion --key-id key-1')
})
