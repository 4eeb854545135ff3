import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { FakeCloud, creatingCalls, expectedSteps, filesUnder, image, indexOfCall, stepTitles } from './fake-cloud.js'
import { validateSeed } from '../../src/seed/load-seed.js'

// scripts/deploy runs here against hand-written fakes of the AWS and Kubernetes command-line
// tools (fake-cloud.ts), because no real cluster or AWS account can run in this environment.
// Each run of the script spawns about 160 fake calls, so the file gets more time than the default.
t.setTimeout(600_000)

// One deployment serves the tests that only read its results; the others work on copies.
const deployed = new FakeCloud()
const first = deployed.deploy(image)

t.test('first deploy succeeds', async (t) => {
  t.equal(first.status, 0, first.stderr)
})

t.test('deploy runs every step in order', async (t) => {
  const cloud = deployed
  const result = first
  t.same(stepTitles(result.stdout), expectedSteps)

  const lines = creatingCalls(cloud.calls)
  const order = [
    /^eksctl create cluster/,
    /^aws eks create-addon .*aws-ebs-csi-driver/,
    /^kubectl apply -f .*storageclass-gp3/,
    /^helm upgrade --install aws-load-balancer-controller/,
    /^helm upgrade --install external-dns/,
    /^aws iam put-role-policy --role-name dcp-identity-dcp-identity/,
    /^aws kms create-key/,
    /^helm upgrade --install dcp-identity .* --namespace authority/,
    /^helm upgrade --install dcp-identity .* --namespace companyx/,
    /^helm upgrade --install vault .* --namespace companyx/,
    /^kubectl exec -n companyx vault-0 -- vault operator init/,
    /^kubectl exec .* -n companyx .*vault kv put secret\/did:web:companyx.example.com-sts-client-secret/,
    /^kubectl exec .* -n companyx .*vault kv put secret\/tokenSignerPrivateKey/,
    /^helm upgrade --install connector .* --namespace companyx/,
    /^helm upgrade --install connector .* --namespace companyy/,
  ]
  const positions = order.map((pattern) => indexOfCall(lines, pattern))
  for (const [i, position] of positions.entries()) {
    t.not(position, -1, `call ${order[i]} was made`)
  }
  t.same(positions, [...positions].sort((a, b) => a - b), 'the calls come in the expected order')
})

t.test('deploy wires the dcp connector values', async (t) => {
  const cloud = deployed
  const values = cloud.values('companyx', 'values-connector.json')

  t.equal(values.participant.id, 'did:web:companyx.example.com')
  t.equal(values.participant.bpnl, 'BPNL000000000001')
  t.match(values.participant.contextId, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/)
  t.same(values.dcp.trustedIssuers, ['did:web:issuer.example.com'])
  t.equal(values.dcp.sts.oauth.token_url, 'http://dcp-identity-internal.companyx.svc.cluster.local:8081/sts/token')
  t.equal(values.dcp.sts.oauth.client.id, 'did:web:companyx.example.com')
  t.equal(values.dcp.sts.oauth.client.secret_alias, 'did:web:companyx.example.com-sts-client-secret')
  t.equal(values.dcp.sts.div.url, '')
  t.equal(values.iatp, undefined, 'no iatp keys for the dcp layout')
  t.equal(values.controlplane.bdrs.server.url, 'https://issuer.example.com/p/authority')
  t.equal(values.dataplane.token.signer.privatekey_alias, 'tokenSignerPrivateKey')
  t.equal(values.dataplane.token.verifier.publickey_alias, 'tokenSignerPublicKey')
  t.equal(values.dataplane.url.public, 'https://companyx.example.com/api/public')
  t.equal(values.controlplane.debug.enabled, false)
  t.equal(values.dataplane.debug.enabled, false)
  t.equal(values.postgresql.persistence.enabled, true)
  t.equal(values.postgresql.persistence.storageClass, 'gp3')
  t.equal(values.install.vault, false)
  t.equal(values.vault.hashicorp.url, 'http://vault.companyx.svc.cluster.local:8200')
  t.same(values.controlplane.envValueFrom.WEB_HTTP_MANAGEMENT_AUTH_KEY, {
    secretKeyRef: { name: 'connector-api-keys', key: 'management-api-key' },
  })
  t.same(values.controlplane.envValueFrom.EDC_VAULT_HASHICORP_TOKEN, {
    secretKeyRef: { name: 'connector-vault-token', key: 'token' },
  })
  t.equal(values.controlplane.endpoints.catalog, undefined, 'chart 0.13 has no catalog endpoint')
})

t.test('database Secret has the keys the charts read', async (t) => {
  const cloud = deployed
  const values = cloud.values('companyx', 'values-connector.json')
  t.equal(values.postgresql.auth.existingSecret, 'connector-postgresql-auth')
  t.equal(values.postgresql.auth.secretKeys.adminPasswordKey, 'postgres-password')
  const secret = cloud.state.k8s['secret/companyx/connector-postgresql-auth']
  const decoded = (key: string) => Buffer.from(secret.data[key], 'base64').toString()
  // The connector chart 0.13 reads the user name and database from "username" and "database".
  // Bitnami postgresql, bundled with the charts 0.9 to 0.12, reads the user password from "password".
  t.same(Object.keys(secret.data).sort(), ['database', 'password', 'postgres-password', 'username'])
  t.equal(decoded('username'), values.postgresql.auth.username)
  t.equal(decoded('database'), values.postgresql.auth.database)
})

t.test('deploy exposes only public endpoints', async (t) => {
  const cloud = deployed
  const connector = cloud.values('companyx', 'values-connector.json')
  t.same(connector.controlplane.ingresses.map((i: { endpoints: string[] }) => i.endpoints), [['protocol']])
  t.same(connector.dataplane.ingresses.map((i: { endpoints: string[] }) => i.endpoints), [['public']])
  for (const ingress of [...connector.controlplane.ingresses, ...connector.dataplane.ingresses]) {
    t.equal(ingress.annotations['alb.ingress.kubernetes.io/group.name'], 'dcp-identity')
    t.equal(ingress.annotations['alb.ingress.kubernetes.io/certificate-arn'], 'arn:aws:acm:eu-central-1:111122223333:certificate/fake')
    t.equal(ingress.annotations['alb.ingress.kubernetes.io/healthcheck-path'], '/api/check/liveness')
  }
  const identity = cloud.values('companyx', 'values-dcp-identity.json')
  t.equal(identity.ingress.annotations['alb.ingress.kubernetes.io/healthcheck-path'], '/.well-known/did.json')
  t.equal(identity.networkPolicy.enabled, true)
  t.same(
    identity.ingress.hosts.map((h: { host: string }) => h.host),
    ['companyx.example.com'],
  )
})

t.test('deploy writes the wallet and issuer seeds', async (t) => {
  const cloud = deployed
  const wallet = cloud.values('companyy', 'values-dcp-identity.json')
  const participant = wallet.seed.participants[0]
  t.equal(participant.id, 'companyy')
  t.equal(participant.did, 'did:web:companyy.example.com')
  t.equal(participant.displayName, 'Company Y')
  t.same(participant.sts, { clientId: 'did:web:companyy.example.com', clientSecretFile: '/var/run/secrets/dcp-identity/sts-client-secret' })
  t.same(participant.trustedIssuers, ['did:web:issuer.example.com'])
  t.same(participant.credentialRequests, [
    {
      issuerDid: 'did:web:issuer.example.com',
      credentialTypes: ['MembershipCredential', 'BpnCredential', 'DataExchangeGovernanceCredential'],
    },
  ])
  t.doesNotThrow(() => validateSeed(wallet.seed, 'wallet values'), 'the service accepts the wallet seed')
  t.equal(wallet.secretFiles.existingSecret, 'dcp-identity-sts-client')
  t.equal(wallet.keyCustody.kms.instanceTag, 'dcp-identity/companyy')

  const issuerSeed = cloud.values('authority', 'values-dcp-identity.json').seed
  t.doesNotThrow(() => validateSeed(issuerSeed, 'authority values'), 'the service accepts the authority seed')
  const issuer = issuerSeed.participants[0]
  t.same(issuer.credentialDefinitions, ['tractus-x'])
  t.equal(issuer.did, 'did:web:issuer.example.com')
  t.same(issuer.roles, ['issuer'])
  t.same(
    issuer.holders.map((h: { did: string; attributes: { bpn: string } }) => [h.did, h.attributes.bpn]),
    [
      ['did:web:companyx.example.com', 'BPNL000000000001'],
      ['did:web:companyy.example.com', 'BPNL000000000002'],
    ],
  )
})

t.test('deploy keeps secrets out of files and output', async (t) => {
  const cloud = deployed
  const result = first
  const state = cloud.state
  const secrets: string[] = []
  for (const object of Object.values(state.k8s) as Array<{ kind: string; data?: Record<string, string> }>) {
    if (object.kind !== 'Secret') continue
    for (const value of Object.values(object.data ?? {})) {
      const decoded = Buffer.from(value, 'base64').toString()
      if (decoded.length >= 16) secrets.push(decoded)
    }
  }
  t.ok(secrets.length >= 8, 'generated secrets exist')
  const written = filesUnder(cloud.workDirectory).map((path) => readFileSync(path, 'utf8')).join('\n')
  const logged = readFileSync(join(cloud.directory, 'calls.jsonl'), 'utf8')
  for (const secret of secrets) {
    t.notOk(written.includes(secret), 'no secret in a generated file')
    t.notOk(result.stdout.includes(secret) || result.stderr.includes(secret), 'no secret in the output')
    t.notOk(logged.includes(secret), 'no secret on a command line')
  }
  t.equal(state.vault.companyx.secrets['did:web:companyx.example.com-sts-client-secret'],
    Buffer.from(state.k8s['secret/companyx/dcp-identity-sts-client'].data['sts-client-secret'], 'base64').toString(),
    'the connector Vault holds the STS client secret the wallet reads')
  t.match(state.vault.companyx.secrets.tokenSignerPrivateKey, /-----BEGIN PRIVATE KEY-----/)
  t.match(state.vault.companyx.secrets.tokenSignerPublicKey, /-----BEGIN PUBLIC KEY-----/)
})

t.test('deploy limits KMS access by tag', async (t) => {
  const cloud = deployed
  const policy = cloud.state.roles['dcp-identity-dcp-identity'].policies['kms-keys-of-this-instance']
  const instance = '${aws:PrincipalTag/eks-cluster-name}/${aws:PrincipalTag/kubernetes-namespace}'
  const create = policy.Statement.find((s: { Sid: string }) => s.Sid === 'CreateKeysTaggedForThisInstance')
  t.same(create.Action, ['kms:CreateKey', 'kms:TagResource'])
  t.equal(create.Condition.StringEquals['aws:RequestTag/dcp-identity:instance'], instance)
  const use = policy.Statement.find((s: { Sid: string }) => s.Sid === 'UseKeysTaggedForThisInstance')
  for (const action of ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:ScheduleKeyDeletion', 'kms:TagResource']) {
    t.ok(use.Action.includes(action), `${action} is allowed`)
  }
  t.equal(use.Condition.StringEquals['aws:ResourceTag/dcp-identity:instance'], instance)
  t.ok(cloud.state.podIdentity.includes('dcp-identity/companyx/dcp-identity'), 'the wallet service account has the role')
})

t.test('second deploy creates nothing', async (t) => {
  const cloud = deployed.clone()
  const stateAfterFirst = cloud.state
  cloud.clearCalls()
  const second = cloud.deploy(image)
  t.equal(second.status, 0, second.stderr)
  t.same(creatingCalls(cloud.calls), [], 'no creating call on the second run')
  t.same(cloud.state, stateAfterFirst, 'the fake cloud is unchanged')
  t.same(stepTitles(second.stdout), expectedSteps)
})

t.test('changed values upgrade only that release', async (t) => {
  const cloud = deployed.clone()
  cloud.clearCalls()
  t.equal(cloud.deploy(['--image', 'registry.example.com/dcp-identity:1.0.1']).status, 0)
  const creating = creatingCalls(cloud.calls)
  t.equal(creating.length, 3, creating.join('\n'))
  for (const namespace of ['authority', 'companyx', 'companyy']) {
    t.ok(creating.some((line) => line.startsWith('helm upgrade --install dcp-identity') && line.includes(`--namespace ${namespace}`)))
  }
})

t.test('changed overrides recreate connector Deployments', async (t) => {
  const cloud = deployed.clone()
  cloud.updateState((state) => {
    delete state.helm['companyx/connector'].values.controlplane.envValueFrom.WEB_HTTP_MANAGEMENT_AUTH_KEY
  })
  cloud.clearCalls()
  const result = cloud.deploy(image)
  t.equal(result.status, 0, result.stderr)
  const creating = creatingCalls(cloud.calls)
  const deletion = indexOfCall(creating, /^kubectl delete deployment connector-controlplane connector-dataplane -n companyx --ignore-not-found$/)
  const upgrade = indexOfCall(creating, /^helm upgrade --install connector .* --namespace companyx/)
  t.not(deletion, -1, 'the companyx Deployments are deleted')
  t.not(upgrade, -1, 'the companyx connector is upgraded')
  t.ok(deletion < upgrade, 'the Deployments are deleted before the upgrade')
  t.equal(indexOfCall(creating, /^kubectl delete deployment .* -n companyy/), -1, 'companyy keeps its Deployments')
  t.equal(creating.length, 2, creating.join('\n'))
})

t.test('deploy reports an unreachable endpoint', async (t) => {
  const cloud = deployed.clone()
  cloud.updateState((state) => {
    state.unreachableUrls = ['https://companyx.example.com/.well-known/did.json']
  })
  const result = cloud.deploy(image)
  t.equal(result.status, 1)
  t.match(result.stderr, 'https://companyx.example.com/.well-known/did.json did not answer')
  t.match(result.stderr, 'step 13/13 "Check the public endpoints" failed')
})
