import t from 'tap'
import { FakeCloud, commandLine, creatingCalls, image, indexOfCall } from './fake-cloud.js'

// scripts/deploy runs here against hand-written fakes of the AWS and Kubernetes command-line
// tools (fake-cloud.ts), because no real cluster or AWS account can run in this environment.
// Each run of the script spawns about 160 fake calls, so the file gets more time than the default.
t.setTimeout(600_000)

t.test('deploy resumes after a failed step', async (t) => {
  const cloud = new FakeCloud()
  const failed = cloud.deploy(image, { FAKE_FAIL: '^helm upgrade --install connector .*--namespace companyx' })
  t.not(failed.status, 0)
  t.match(failed.stderr, 'step 11/13 "Deploy participant companyx (did:web:companyx.example.com)" failed')
  t.match(failed.stderr, 'helm upgrade --install connector tractusx-connector')
  t.match(failed.stderr, 'run the same command again to resume')
  t.notOk(cloud.state.helm['companyx/connector'], 'the failed release is not there')
  t.notOk(cloud.state.k8s['namespace//companyy'], 'later steps did not run')

  cloud.clearCalls()
  const resumed = cloud.deploy(image)
  t.equal(resumed.status, 0, resumed.stderr)
  const creating = creatingCalls(cloud.calls)
  t.equal(indexOfCall(creating, /^eksctl create cluster/), -1, 'the cluster is not created again')
  t.equal(indexOfCall(creating, /--namespace authority/), -1, 'the authority is not deployed again')
  t.equal(indexOfCall(creating, /-n companyx .*vault operator init/), -1, 'Vault is not initialised again')
  t.not(indexOfCall(creating, /^helm upgrade --install connector .*--namespace companyx/), -1, 'the failed release is installed')
  t.not(indexOfCall(creating, /^helm upgrade --install connector .*--namespace companyy/), -1, 'the remaining steps run')
})

t.test('dry run touches nothing', async (t) => {
  const cloud = new FakeCloud()
  const before = cloud.state
  const result = cloud.deploy([...image, '--dry-run'])
  t.equal(result.status, 0, result.stderr)
  t.same(cloud.state, before, 'the fake cloud is unchanged')
  const calls = cloud.calls.map(commandLine)
  const versionChecks = /^(aws --version|eksctl version|kubectl version --client -o json|helm version --template \{\{\.Version\}\})$/
  t.same(calls.filter((line) => !versionChecks.test(line)), [], 'only local version checks ran')
  for (const expected of [
    'eksctl create cluster --config-file',
    'aws iam create-role --role-name dcp-identity-dcp-identity',
    'aws kms create-key',
    'helm upgrade --install dcp-identity',
    'helm upgrade --install connector tractusx-connector',
    'vault operator init',
  ]) {
    t.match(result.stdout, expected, `prints ${expected}`)
  }
  t.equal(cloud.values('companyx', 'values-connector.json').participant.id, 'did:web:companyx.example.com')
  t.equal(cloud.values('authority', 'values-dcp-identity.json').publicBaseUrl, 'https://issuer.example.com')
})

const invalid: Array<[string, string[], string]> = [
  ['missing domain', ['--domain', ''], '--domain'],
  ['old connector', ['--connector-version', '0.8.0'], 'unsupported --connector-version "0.8.0"'],
  ['bad participant', ['--participants', 'Company_X'], 'invalid participant name "Company_X"'],
  ['reserved participant', ['--participants', 'authority'], 'participant name "authority" is reserved'],
  ['duplicate participant', ['--participants', 'companyx,companyx'], 'participant "companyx" is listed twice'],
  ['bad BPN', ['--participants', 'companyx=BPN1'], 'invalid BPN "BPN1"'],
  ['bad option', ['--cluster-size', '3'], 'unknown option "--cluster-size"'],
  ['short deletion window', ['--kms-deletion-window', '3'], 'expected 7 to 30 days'],
]

for (const [name, args, message] of invalid) {
  t.test(`deploy rejects ${name}`, async (t) => {
    const cloud = new FakeCloud()
    const result = cloud.deploy([...image, ...args])
    t.equal(result.status, 1)
    t.match(result.stderr, message)
    t.same(creatingCalls(cloud.calls), [])
  })
}

t.test('deploy stops without a hosted zone', async (t) => {
  const cloud = new FakeCloud()
  cloud.updateState((state) => {
    state.hostedZones = []
  })
  const result = cloud.deploy(image)
  t.equal(result.status, 1)
  t.match(result.stderr, 'no public Route 53 hosted zone named example.com found')
  t.same(creatingCalls(cloud.calls), [])
})

t.test('deploy stops without a certificate', async (t) => {
  const cloud = new FakeCloud()
  cloud.updateState((state) => {
    state.certificates = []
  })
  const result = cloud.deploy(image)
  t.equal(result.status, 1)
  t.match(result.stderr, 'no issued ACM certificate for *.example.com in eu-central-1')
})
