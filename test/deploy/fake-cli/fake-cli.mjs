#!/usr/bin/env node
// Hand-written fakes of the aws, eksctl, kubectl, helm, curl and docker command-line tools, for
// testing scripts/deploy and scripts/destroy where no AWS account or Kubernetes cluster exists.
// Each call is appended to FAKE_LOG as one JSON line. The fakes read their responses from the JSON
// state in FAKE_STATE, which creating calls change. FAKE_FAIL is a regular expression: a call whose
// command line matches it fails with exit status 1 and changes nothing.
import { execFileSync } from 'node:child_process'
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'

class FakeError extends Error {
  constructor(message, exitCode = 1) {
    super(message)
    this.exitCode = exitCode
  }
}

const [tool, ...args] = process.argv.slice(2)
const statePath = process.env.FAKE_STATE
const logPath = process.env.FAKE_LOG
if (!statePath || !logPath) {
  process.stderr.write('fake-cli: FAKE_STATE and FAKE_LOG must be set\n')
  process.exit(2)
}

let stdinText = ''
let state

function needsStdin(name, list) {
  if (name === 'kubectl' && list.includes('-i')) return true
  if (name === 'kubectl' && list[0] === 'apply' && option(list, '-f') === '-') return true
  if (name === 'docker' && list[0] === 'login') return true
  return false
}

function option(list, ...names) {
  for (let i = 0; i < list.length; i++) {
    for (const name of names) {
      if (list[i] === name) return list[i + 1]
      if (list[i].startsWith(`${name}=`)) return list[i].slice(name.length + 1)
    }
  }
  return undefined
}

function print(value) {
  process.stdout.write(typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`)
}

function notFound(message) {
  return new FakeError(message, 254)
}

// ------------------------------------------------------------------------------------------
// aws
// ------------------------------------------------------------------------------------------

function aws(list) {
  if (list[0] === '--version') return print('aws-cli/2.22.0 Python/3.12.6 Linux/6.1 exe/x86_64\n')
  const [service, operation] = list
  const key = `${service} ${operation}`
  const region = option(list, '--region')
  switch (key) {
    case 'sts get-caller-identity':
      return print(state.identity)
    case 'route53 list-hosted-zones-by-name':
      return print({ HostedZones: state.hostedZones })
    case 'acm list-certificates':
      return print({ CertificateSummaryList: state.certificates.filter((c) => c.region === region) })
    case 'eks describe-cluster': {
      const cluster = state.clusters[option(list, '--name')]
      if (!cluster) throw notFound('An error occurred (ResourceNotFoundException): No cluster found')
      return print({ cluster: { name: option(list, '--name'), status: cluster.status, resourcesVpcConfig: { vpcId: cluster.vpcId } } })
    }
    case 'eks update-kubeconfig':
      writeFileSync(option(list, '--kubeconfig'), 'apiVersion: v1\nkind: Config\n')
      return undefined
    case 'eks describe-addon': {
      const addon = clusterOf(list, '--cluster-name').addons[option(list, '--addon-name')]
      if (!addon) throw notFound('An error occurred (ResourceNotFoundException): No addon')
      return print({ addon: { addonName: option(list, '--addon-name'), status: 'ACTIVE' } })
    }
    case 'eks create-addon':
      clusterOf(list, '--cluster-name').addons[option(list, '--addon-name')] = { status: 'ACTIVE' }
      return print({ addon: { status: 'CREATING' } })
    case 'eks wait':
      return undefined
    case 'eks list-pod-identity-associations': {
      const prefix = `${option(list, '--cluster-name')}/${option(list, '--namespace')}/${option(list, '--service-account')}`
      return print({ associations: state.podIdentity.filter((a) => a.startsWith(prefix)).map((a) => ({ associationId: a })) })
    }
    case 'eks create-pod-identity-association':
      state.podIdentity.push(`${option(list, '--cluster-name')}/${option(list, '--namespace')}/${option(list, '--service-account')}`)
      return print({ association: {} })
    case 'iam get-role':
      if (!state.roles[option(list, '--role-name')]) throw notFound('An error occurred (NoSuchEntity)')
      return print({ Role: { RoleName: option(list, '--role-name') } })
    case 'iam create-role':
      state.roles[option(list, '--role-name')] = { policies: {}, attached: [] }
      return print({ Role: {} })
    case 'iam get-role-policy': {
      const document = role(list).policies[option(list, '--policy-name')]
      if (!document) throw notFound('An error occurred (NoSuchEntity)')
      return print({ PolicyDocument: document })
    }
    case 'iam put-role-policy':
      role(list).policies[option(list, '--policy-name')] = readFileArgument(option(list, '--policy-document'))
      return undefined
    case 'iam list-attached-role-policies':
      return print({ AttachedPolicies: role(list).attached.map((arn) => ({ PolicyArn: arn })) })
    case 'iam attach-role-policy':
      role(list).attached.push(option(list, '--policy-arn'))
      return undefined
    case 'iam list-role-policies':
      return print({ PolicyNames: Object.keys(role(list).policies) })
    case 'iam delete-role-policy':
      delete role(list).policies[option(list, '--policy-name')]
      return undefined
    case 'iam detach-role-policy':
      role(list).attached = role(list).attached.filter((arn) => arn !== option(list, '--policy-arn'))
      return undefined
    case 'iam delete-role':
      role(list)
      delete state.roles[option(list, '--role-name')]
      return undefined
    case 'kms describe-key': {
      const keyId = resolveKey(option(list, '--key-id'))
      return print({ KeyMetadata: { KeyId: keyId, Arn: keyArn(keyId), KeyState: state.kmsKeys[keyId].state } })
    }
    case 'kms create-key': {
      const keyId = `key-${Object.keys(state.kmsKeys).length + 1}`
      const tags = Object.fromEntries(
        list.slice(list.indexOf('--tags') + 1).filter((t) => t.startsWith('TagKey=')).map((t) => {
          const [k, v] = t.split(',')
          return [k.slice('TagKey='.length), v.slice('TagValue='.length)]
        }),
      )
      state.kmsKeys[keyId] = { state: 'Enabled', tags }
      return print({ KeyMetadata: { KeyId: keyId, Arn: keyArn(keyId) } })
    }
    case 'kms create-alias':
      state.kmsAliases[option(list, '--alias-name')] = option(list, '--target-key-id')
      return undefined
    case 'kms cancel-key-deletion':
      state.kmsKeys[resolveKey(option(list, '--key-id'))].state = 'Disabled'
      return undefined
    case 'kms enable-key':
      state.kmsKeys[resolveKey(option(list, '--key-id'))].state = 'Enabled'
      return undefined
    case 'kms schedule-key-deletion':
      state.kmsKeys[resolveKey(option(list, '--key-id'))].state = 'PendingDeletion'
      return print({ KeyState: 'PendingDeletion' })
    case 'kms list-aliases': {
      const keyId = resolveKey(option(list, '--key-id'))
      const aliases = Object.entries(state.kmsAliases).filter(([, id]) => id === keyId)
      return print({ Aliases: aliases.map(([name]) => ({ AliasName: name, TargetKeyId: keyId })) })
    }
    case 'kms delete-alias':
      delete state.kmsAliases[option(list, '--alias-name')]
      return undefined
    case 'resourcegroupstaggingapi get-resources':
      return print({ ResourceTagMappingList: taggedResources(list) })
    case 'ecr describe-repositories':
      if (!state.ecrRepositories[option(list, '--repository-names')]) throw notFound('RepositoryNotFoundException')
      return print({ repositories: [{ repositoryName: option(list, '--repository-names') }] })
    case 'ecr create-repository':
      state.ecrRepositories[option(list, '--repository-name')] = { images: [], tags: option(list, '--tags') }
      return print({ repository: {} })
    case 'ecr describe-images': {
      const repository = state.ecrRepositories[option(list, '--repository-name')]
      const tag = option(list, '--image-ids').replace('imageTag=', '')
      if (!repository?.images.includes(tag)) throw notFound('ImageNotFoundException')
      return print({ imageDetails: [{ imageTags: [tag] }] })
    }
    case 'ecr get-login-password':
      return print('fake-ecr-password\n')
    case 'ecr delete-repository':
      if (!state.ecrRepositories[option(list, '--repository-name')]) throw notFound('RepositoryNotFoundException')
      delete state.ecrRepositories[option(list, '--repository-name')]
      return print({ repository: {} })
    case 'ec2 describe-volumes':
      return print({ Volumes: state.volumes })
    case 'ec2 delete-volume':
      state.volumes = state.volumes.filter((v) => v.VolumeId !== option(list, '--volume-id'))
      return undefined
    default:
      throw new FakeError(`fake aws: unsupported command "${key}"`, 2)
  }
}

function clusterOf(list, flag) {
  const cluster = state.clusters[option(list, flag)]
  if (!cluster) throw notFound('An error occurred (ResourceNotFoundException): No cluster found')
  return cluster
}

function role(list) {
  const found = state.roles[option(list, '--role-name')]
  if (!found) throw notFound('An error occurred (NoSuchEntity)')
  return found
}

function readFileArgument(value) {
  return JSON.parse(readFileSync(value.replace(/^file:\/\//, ''), 'utf8'))
}

function resolveKey(id) {
  const keyId = id.startsWith('alias/') ? state.kmsAliases[id] : id.replace(/^arn:.*:key\//, '')
  if (!keyId || !state.kmsKeys[keyId]) throw notFound('An error occurred (NotFoundException)')
  return keyId
}

function keyArn(keyId) {
  return `arn:aws:kms:eu-central-1:${state.identity.Account}:key/${keyId}`
}

function taggedResources(list) {
  const types = option(list, '--resource-type-filters')
  const filter = option(list, '--tag-filters')
  const [, tagKey, values] = /^Key=([^,]+)(?:,Values=(.*))?$/.exec(filter) ?? []
  const wanted = values?.split(',')
  if (types === 'kms:key') {
    return Object.entries(state.kmsKeys)
      .filter(([, key]) => tagKey in key.tags && (!wanted || wanted.includes(key.tags[tagKey])))
      .map(([id, key]) => ({ ResourceARN: keyArn(id), Tags: Object.entries(key.tags).map(([Key, Value]) => ({ Key, Value })) }))
  }
  if (types === 'elasticloadbalancing:loadbalancer') {
    return state.loadBalancers.filter((lb) => lb.tags[tagKey] !== undefined).map((lb) => ({ ResourceARN: lb.arn }))
  }
  throw new FakeError(`fake aws: unsupported resource type ${types}`, 2)
}

// ------------------------------------------------------------------------------------------
// eksctl
// ------------------------------------------------------------------------------------------

function eksctl(list) {
  if (list[0] === 'version') return print('0.210.0\n')
  const key = `${list[0]} ${list[1]}`
  switch (key) {
    case 'create cluster': {
      const config = JSON.parse(readFileSync(option(list, '--config-file', '-f'), 'utf8'))
      const addons = Object.fromEntries(config.addons.map((addon) => [addon.name, { status: 'ACTIVE' }]))
      state.clusters[config.metadata.name] = { status: 'ACTIVE', vpcId: 'vpc-0fake', addons, config }
      return undefined
    }
    case 'create podidentityassociation': {
      const config = JSON.parse(readFileSync(option(list, '--config-file', '-f'), 'utf8'))
      for (const association of config.iam.podIdentityAssociations) {
        state.podIdentity.push(`${config.metadata.name}/${association.namespace}/${association.serviceAccountName}`)
        state.roles[association.roleName] = { policies: {}, attached: [], createdBy: 'eksctl' }
      }
      return undefined
    }
    case 'delete cluster': {
      const name = option(list, '--name')
      if (!state.clusters[name]) throw notFound(`cluster ${name} not found`)
      delete state.clusters[name]
      state.podIdentity = state.podIdentity.filter((a) => !a.startsWith(`${name}/`))
      for (const [roleName, roleState] of Object.entries(state.roles)) {
        if (roleState.createdBy === 'eksctl') delete state.roles[roleName]
      }
      state.k8s = {}
      state.helm = {}
      state.vault = {}
      return undefined
    }
    default:
      throw new FakeError(`fake eksctl: unsupported command "${key}"`, 2)
  }
}

// ------------------------------------------------------------------------------------------
// kubectl
// ------------------------------------------------------------------------------------------

function kubectl(list) {
  const namespace = option(list, '-n', '--namespace') ?? 'default'
  switch (list[0]) {
    case 'version':
      return print({ clientVersion: { gitVersion: 'v1.33.2' } })
    case 'get':
      return kubectlGet(list, namespace)
    case 'apply':
      return kubectlApply(list, namespace)
    case 'annotate': {
      const object = state.k8s[objectKey(list[1], namespace, list[2])]
      if (!object) throw new FakeError(`Error from server (NotFound): ${list[1]} "${list[2]}" not found`)
      const [name, value] = list[3].split('=')
      object.metadata.annotations = { ...object.metadata.annotations, [name]: value }
      return undefined
    }
    case 'wait':
      return undefined
    case 'exec':
      return kubectlExec(list, namespace)
    case 'port-forward':
      return undefined
    case 'delete':
      return kubectlDelete(list, namespace)
    default:
      throw new FakeError(`fake kubectl: unsupported command "${list[0]}"`, 2)
  }
}

const clusterScoped = new Set(['namespace', 'storageclass'])
const plurals = {
  namespaces: 'namespace', storageclasses: 'storageclass', secrets: 'secret', ingresses: 'ingress',
  deployments: 'deployment', services: 'service', configmaps: 'configmap', pods: 'pod',
  persistentvolumeclaims: 'persistentvolumeclaim', pvc: 'persistentvolumeclaim',
}

function singular(kind) {
  const lower = kind.toLowerCase()
  return plurals[lower] ?? lower
}

function objectKey(kind, namespace, name) {
  const normalized = singular(kind)
  return clusterScoped.has(normalized) ? `${normalized}//${name}` : `${normalized}/${namespace}/${name}`
}

function kubectlGet(list, namespace) {
  const [, kind, name] = list
  const output = option(list, '-o', '--output')
  const selector = option(list, '-l', '--selector')
  if (!name || name.startsWith('-')) {
    const normalized = singular(kind)
    const items = Object.entries(state.k8s)
      .filter(([key]) => key.startsWith(`${normalized}/`))
      .map(([, object]) => object)
      .filter((object) => clusterScoped.has(normalized) || list.includes('-A') || object.metadata.namespace === namespace)
      .filter((object) => !selector || selector.split(',').every((s) => {
        const [k, v] = s.split('=')
        return object.metadata.labels?.[k] === v
      }))
    return print({ items })
  }
  const object = state.k8s[objectKey(kind, namespace, name)]
  if (!object) throw new FakeError(`Error from server (NotFound): ${kind} "${name}" not found`)
  if (output === 'name') return print(`${kind}/${name}\n`)
  if (output?.startsWith('jsonpath=')) return print(String(jsonPath(object, output.slice('jsonpath='.length)) ?? ''))
  return print(object)
}

function jsonPath(object, expression) {
  const path = expression.replace(/^\{\.|\}$/g, '')
  const parts = path.split(/(?<!\\)\./).map((part) => part.replace(/\\\./g, '.'))
  return parts.reduce((value, part) => value?.[part], object)
}

function kubectlApply(list, namespace) {
  const file = option(list, '-f')
  const text = file === '-' ? stdinText : readFileSync(file, 'utf8')
  const document = JSON.parse(text)
  const objects = document.kind === 'List' ? document.items : [document]
  for (const object of objects) {
    object.metadata.namespace ??= namespace
    if (object.kind === 'Secret' && object.stringData) {
      object.data = Object.fromEntries(
        Object.entries(object.stringData).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      )
      delete object.stringData
    }
    state.k8s[objectKey(object.kind, object.metadata.namespace, object.metadata.name)] = object
  }
  return undefined
}

function kubectlDelete(list, namespace) {
  const [, kind, name] = list
  const normalized = singular(kind)
  if (list.includes('--all')) {
    for (const key of Object.keys(state.k8s)) {
      if (key.startsWith(`${normalized}/${namespace}/`)) delete state.k8s[key]
    }
    if (normalized === 'ingress') state.loadBalancers = []
    return undefined
  }
  const key = objectKey(kind, namespace, name)
  if (!state.k8s[key] && !list.includes('--ignore-not-found')) {
    throw new FakeError(`Error from server (NotFound): ${kind} "${name}" not found`)
  }
  delete state.k8s[key]
  if (normalized === 'namespace') {
    for (const objectKeyName of Object.keys(state.k8s)) {
      if (objectKeyName.split('/')[1] === name) delete state.k8s[objectKeyName]
    }
    for (const release of Object.keys(state.helm)) {
      if (release.startsWith(`${name}/`)) delete state.helm[release]
    }
  }
  return undefined
}

function kubectlExec(list, namespace) {
  const command = list.slice(list.indexOf('--') + 1)
  const vault = (state.vault[namespace] ??= { initialized: false, engines: {}, secrets: {}, policies: [], tokens: 0 })
  if (command[0] === 'vault' && command[1] === 'status') return print({ initialized: vault.initialized, sealed: false })
  if (command[0] === 'vault' && command[1] === 'operator' && command[2] === 'init') {
    if (vault.initialized) throw new FakeError('Vault is already initialized', 2)
    vault.initialized = true
    vault.rootToken = `root-token-${namespace}`
    return print({ root_token: vault.rootToken, recovery_keys_b64: [`recovery-${namespace}`] })
  }
  if (command[0] !== 'sh') throw new FakeError(`fake kubectl exec: unsupported command ${command.join(' ')}`, 2)

  const script = command[2]
  const [token, ...inputLines] = stdinText.split('\n')
  const input = inputLines.join('\n')
  if (!vault.initialized || token !== vault.rootToken) throw new FakeError('Code: 403. permission denied', 2)
  const vaultCommand = script.replace(/^read -r VAULT_TOKEN && export VAULT_TOKEN && /, '')
  const alias = /secret\/((?:\\.|\S)+)/.exec(vaultCommand)?.[1]?.replace(/\\(.)/g, '$1')

  if (vaultCommand.startsWith('vault secrets list')) return print({ 'cubbyhole/': { type: 'cubbyhole' }, ...vault.engines })
  if (vaultCommand.startsWith('vault secrets enable')) {
    vault.engines['secret/'] = { type: 'kv', options: { version: '2' } }
    return undefined
  }
  if (vaultCommand.includes('vault policy write')) {
    vault.policies.push(vaultCommand)
    return undefined
  }
  if (vaultCommand.startsWith('vault token create')) {
    vault.tokens += 1
    return print({ auth: { client_token: `connector-token-${namespace}-${vault.tokens}` } })
  }
  if (vaultCommand.startsWith('vault kv get')) {
    if (!(alias in vault.secrets)) throw new FakeError('No value found', 2)
    return undefined
  }
  if (vaultCommand.startsWith('vault kv put')) {
    if (!vault.engines['secret/']) throw new FakeError('no handler for route "secret/data"', 2)
    vault.secrets[alias] = input
    return undefined
  }
  throw new FakeError(`fake vault: unsupported command ${vaultCommand}`, 2)
}

// ------------------------------------------------------------------------------------------
// helm
// ------------------------------------------------------------------------------------------

function helm(list) {
  const namespace = option(list, '-n', '--namespace') ?? 'default'
  switch (list[0]) {
    case 'version':
      return print('v3.21.4')
    case 'list': {
      const filter = new RegExp(option(list, '--filter') ?? '.*')
      return print(
        Object.entries(state.helm)
          .filter(([key]) => key.startsWith(`${namespace}/`) && filter.test(key.split('/')[1]))
          .map(([key, release]) => ({ name: key.split('/')[1], namespace, status: release.status, chart: release.chart })),
      )
    }
    case 'get': {
      const release = state.helm[`${namespace}/${list[2]}`]
      if (!release) throw new FakeError('Error: release: not found')
      return print(release.values)
    }
    case 'upgrade':
      return helmUpgrade(list, namespace)
    case 'uninstall': {
      const key = `${namespace}/${list[1]}`
      if (!state.helm[key]) throw new FakeError(`Error: uninstall: Release not loaded: ${list[1]}: release: not found`)
      delete state.helm[key]
      return undefined
    }
    default:
      throw new FakeError(`fake helm: unsupported command "${list[0]}"`, 2)
  }
}

function helmUpgrade(list, namespace) {
  if (list[1] !== '--install') throw new FakeError('fake helm: expected upgrade --install', 2)
  const [release, chart] = [list[2], list[3]]
  const valuesFile = option(list, '--values', '-f')
  const values = JSON.parse(readFileSync(valuesFile, 'utf8'))
  let chartLabel
  if (existsSync(join(chart, 'Chart.yaml'))) {
    const version = /^version:\s*(\S+)/m.exec(readFileSync(join(chart, 'Chart.yaml'), 'utf8'))[1]
    chartLabel = `${basename(chart)}-${version}`
    // A local chart is rendered by the real helm, so the generated values meet its schema.
    if (process.env.FAKE_REAL_HELM) {
      try {
        execFileSync(process.env.FAKE_REAL_HELM, ['template', release, chart, '--namespace', namespace, '--values', valuesFile], {
          stdio: ['ignore', 'ignore', 'pipe'],
        })
      } catch (error) {
        throw new FakeError(`helm template failed: ${error.stderr}`)
      }
    }
  } else {
    chartLabel = `${chart}-${option(list, '--version')}`
  }
  state.helm[`${namespace}/${release}`] = { chart: chartLabel, status: 'deployed', values, repo: option(list, '--repo') }
  if (chart === 'vault') {
    state.k8s[`pod/${namespace}/vault-0`] = { kind: 'Pod', metadata: { name: 'vault-0', namespace }, status: { phase: 'Running' } }
  }
  for (const host of ingressHosts(values)) {
    if (!state.loadBalancers.some((lb) => lb.host === host)) {
      state.loadBalancers.push({ arn: `arn:aws:elasticloadbalancing:lb/${host}`, host, tags: { 'elbv2.k8s.aws/cluster': 'fake' } })
    }
    state.k8s[`ingress/${namespace}/${release}-${host}`] = { kind: 'Ingress', metadata: { name: `${release}-${host}`, namespace } }
  }
  return undefined
}

function ingressHosts(values) {
  const hosts = []
  for (const host of values.ingress?.hosts ?? []) hosts.push(host.host)
  for (const part of [values.controlplane, values.dataplane, values.server]) {
    for (const ingress of part?.ingresses ?? []) if (ingress.enabled) hosts.push(ingress.hostname)
  }
  return hosts
}

// ------------------------------------------------------------------------------------------
// curl and docker
// ------------------------------------------------------------------------------------------

function curl(list) {
  if (list[0] === '--version') return print('curl 8.5.0\n')
  const url = list.find((argument) => /^https?:\/\//.test(argument))
  if (url.includes('/api/management/bpn-directory')) {
    state.bdrs ??= {}
    if (option(list, '-X') === 'POST') {
      const entry = JSON.parse(option(list, '--data'))
      state.bdrs[entry.bpn] = entry.did
      return undefined
    }
    return print(state.bdrs)
  }
  if (state.unreachableUrls.includes(url)) throw new FakeError(`curl: (6) Could not resolve host: ${new URL(url).host}`, 6)
  const outputFile = option(list, '-o', '--output')
  if (outputFile) return writeFileSync(outputFile, '{}')
  return print('{}')
}

function docker(list) {
  if (list[0] === 'push') {
    const [repository, tag] = list[1].split(/:(?=[^:]+$)/)
    const name = repository.split('/').pop()
    state.ecrRepositories[name]?.images.push(tag)
  }
  return undefined
}

function main() {
  stdinText = needsStdin(tool, args) ? readFileSync(0, 'utf8') : ''
  appendFileSync(logPath, `${JSON.stringify({ tool, args })}\n`)

  const commandLine = [tool, ...args].join(' ')
  if (process.env.FAKE_FAIL && new RegExp(process.env.FAKE_FAIL).test(commandLine)) {
    process.stderr.write(`fake-cli: injected failure of: ${commandLine}\n`)
    process.exit(1)
  }

  const exitCode = withStateLock(() => {
    state = JSON.parse(readFileSync(statePath, 'utf8'))
    let code = 0
    try {
      const handlers = { aws, eksctl, kubectl, helm, curl, docker }
      const handler = handlers[tool]
      if (!handler) throw new FakeError(`unknown tool ${tool}`)
      handler(args)
    } catch (error) {
      if (!(error instanceof FakeError)) throw error
      process.stderr.write(`${error.message}\n`)
      code = error.exitCode
    }
    // Written to a temporary file and renamed, so a reader never sees a half-written state.
    const temporary = `${statePath}.${process.pid}.tmp`
    writeFileSync(temporary, JSON.stringify(state, null, 2))
    renameSync(temporary, statePath)
    return code
  })
  process.exit(exitCode)
}

/**
 * Runs `work` while holding a lock file beside the state. The script runs some fake tools at once
 * (one piped into another), and each reads, changes and writes the whole state, so without the
 * lock one of them could lose the other's change or read a file being written.
 */
function withStateLock(work) {
  const lockPath = `${statePath}.lock`
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (let attempt = 0; ; attempt++) {
    try {
      closeSync(openSync(lockPath, 'wx'))
      break
    } catch (error) {
      if (error.code !== 'EEXIST' || attempt > 3000) throw error
      Atomics.wait(pause, 0, 0, 10)
    }
  }
  try {
    return work()
  } finally {
    unlinkSync(lockPath)
  }
}

main()
