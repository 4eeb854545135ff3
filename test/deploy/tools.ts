import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const chartDirectory = join(repoRoot, 'helm', 'dcp-identity')

/** PATH with the repository's .tools/bin first, where .ci/install-helm.sh puts helm. */
export const toolsPath = [join(repoRoot, '.tools', 'bin'), process.env.PATH ?? ''].join(delimiter)

/** Returns the absolute path of a command on toolsPath, or undefined. */
export function findTool(name: string): string | undefined {
  for (const folder of toolsPath.split(delimiter)) {
    const candidate = join(folder, name)
    if (folder && existsSync(candidate)) return candidate
  }
  return undefined
}

/** Returns the path of helm or throws with the command that installs it. */
export function requireHelm(): string {
  const helm = findTool('helm')
  if (!helm) throw new Error('helm not found on PATH or in .tools/bin; run .ci/install-helm.sh')
  return helm
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, PATH: toolsPath, ...env },
    maxBuffer: 64 * 1024 * 1024,
  })
}

export function runOrThrow(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', env: { ...process.env, PATH: toolsPath }, maxBuffer: 64 * 1024 * 1024 })
}
