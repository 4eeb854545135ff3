import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findTool, repoRoot, run } from './tools.js'

// A sandbox in which scripts/deploy and scripts/destroy run against hand-written fakes of the
// aws, eksctl, kubectl, helm, curl and docker command-line tools (fake-cli/fake-cli.mjs). No AWS
// account or Kubernetes cluster can be reached here, so the fakes record every call and answer
// from a JSON state that creating calls change. jq and openssl are the real tools.

const fakeCli = fileURLToPath(new URL('./fake-cli/fake-cli.mjs', import.meta.url))
const fakedTools = ['aws', 'eksctl', 'kubectl', 'helm', 'curl', 'docker']

export interface Call {
  tool: string
  args: string[]
}

export interface ScriptResult {
  status: number | null
  stdout: string
  stderr: string
}

export function initialState() {
  return {
    identity: { Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/operator' },
    hostedZones: [{ Id: '/hostedzone/Z0FAKE', Name: 'example.com.', Config: { PrivateZone: false } }],
    certificates: [
      { CertificateArn: 'arn:aws:acm:eu-central-1:111122223333:certificate/fake', DomainName: '*.example.com', region: 'eu-central-1' },
    ],
    clusters: {},
    roles: {},
    podIdentity: [],
    kmsKeys: {},
    kmsAliases: {},
    ecrRepositories: {},
    volumes: [],
    loadBalancers: [],
    k8s: {},
    helm: {},
    vault: {},
    unreachableUrls: [],
  }
}

export class FakeCloud {
  readonly directory = mkdtempSync(join(tmpdir(), 'dcp-identity-deploy-'))
  readonly workDirectory = join(this.directory, 'work')
  private readonly binDirectory = join(this.directory, 'bin')
  private readonly statePath = join(this.directory, 'state.json')
  private readonly logPath = join(this.directory, 'calls.jsonl')

  constructor() {
    mkdirSync(this.binDirectory)
    for (const tool of fakedTools) {
      const wrapper = join(this.binDirectory, tool)
      writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${fakeCli}" ${tool} "$@"\n`)
      chmodSync(wrapper, 0o755)
    }
    writeFileSync(this.statePath, JSON.stringify(initialState()))
    this.clearCalls()
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get state(): any {
    return JSON.parse(readFileSync(this.statePath, 'utf8'))
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  updateState(change: (state: any) => void): void {
    const state = this.state
    change(state)
    writeFileSync(this.statePath, JSON.stringify(state))
  }

  get calls(): Call[] {
    return readFileSync(this.logPath, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Call)
  }

  /** Returns a new sandbox with a copy of this one's state and generated files. */
  clone(): FakeCloud {
    const copy = new FakeCloud()
    writeFileSync(copy.statePath, readFileSync(this.statePath))
    if (existsSync(this.workDirectory)) cpSync(this.workDirectory, copy.workDirectory, { recursive: true })
    return copy
  }

  clearCalls(): void {
    writeFileSync(this.logPath, '')
  }

  deploy(args: string[], env: Record<string, string> = {}): ScriptResult {
    return this.runScript('deploy', ['--domain', 'example.com', '--work-dir', this.workDirectory, ...args], env)
  }

  destroy(args: string[], env: Record<string, string> = {}): ScriptResult {
    return this.runScript('destroy', ['--domain', 'example.com', '--work-dir', this.workDirectory, ...args], env)
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  values(namespace: string, file: string): any {
    return JSON.parse(readFileSync(join(this.workDirectory, namespace, file), 'utf8'))
  }

  private runScript(name: string, args: string[], env: Record<string, string>): ScriptResult {
    const helm = findTool('helm')
    const result = run(join(repoRoot, 'scripts', name), args, {
      PATH: [this.binDirectory, process.env.PATH ?? ''].join(delimiter),
      FAKE_STATE: this.statePath,
      FAKE_LOG: this.logPath,
      ...(helm ? { FAKE_REAL_HELM: helm } : {}),
      ENDPOINT_RETRY_SECONDS: '0',
      ENDPOINT_ATTEMPTS: '2',
      LOAD_BALANCER_RETRY_SECONDS: '0',
      LOAD_BALANCER_ATTEMPTS: '3',
      AWS_REGION: 'eu-central-1',
      ...env,
    })
    return { status: result.status, stdout: result.stdout, stderr: result.stderr }
  }
}

/** Returns a call as one command line, for matching and messages. */
export function commandLine(call: Call): string {
  return [call.tool, ...call.args].join(' ')
}

const creatingPatterns: RegExp[] = [
  /^aws \S+ (create|put|attach|tag|delete|detach|schedule|cancel|enable|update-kubeconfig)/,
  /^eksctl (create|delete)/,
  /^kubectl (apply|create|annotate|delete|label|patch)/,
  /^kubectl exec .*vault (operator init|secrets enable|policy write|token create|kv put)/,
  /^helm (upgrade|install|uninstall)/,
  /^docker (build|push)/,
  /^curl .*-X POST/,
]

/** Returns the calls that create, change or delete something. */
export function creatingCalls(calls: Call[]): string[] {
  return calls.map(commandLine).filter((line) => creatingPatterns.some((pattern) => pattern.test(line)))
}

/** Returns the step titles in the order the script printed them, such as "Create the EKS cluster". */
export function stepTitles(output: string): string[] {
  return [...output.matchAll(/^\[\d+\/\d+\] (.+)$/gm)].map((match) => match[1]!)
}

export const image = ['--image', 'registry.example.com/dcp-identity:1.0.0']

export const expectedSteps = [
  'Check prerequisites',
  'Create the EKS cluster',
  'Configure kubectl',
  'Install the EKS add-ons (Pod Identity agent, EBS CSI driver)',
  'Create the gp3 default StorageClass',
  'Install the AWS Load Balancer Controller',
  'Install ExternalDNS',
  'Create the IAM roles of dcp-identity and Vault',
  'Publish the dcp-identity image',
  'Deploy the authority (issuer did:web:issuer.example.com)',
  'Deploy participant companyx (did:web:companyx.example.com)',
  'Deploy participant companyy (did:web:companyy.example.com)',
  'Check the public endpoints',
]

export function indexOfCall(lines: string[], pattern: RegExp): number {
  return lines.findIndex((line) => pattern.test(line))
}

export function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}
