import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// The built CLI, as installed: `npm test` builds first (pretest), so it matches the sources.
const entry = fileURLToPath(new URL('../../bin/dcp-identity.js', import.meta.url))

/** Environment without the variables of the developer's shell that would change the CLI's config. */
export function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME }
  return { ...base, ...env }
}

/** Starts the built CLI as `dcp-identity ARGS`, with standard input ignored unless `stdin` is 'pipe'. */
export function spawnCli(args: string[], env: Record<string, string>, stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  return spawn(process.execPath, [entry, ...args], {
    env: cleanEnv(env),
    stdio: [stdin, 'pipe', 'pipe'],
  })
}

/** Runs the CLI to completion, writing `input` to its standard input when given. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, env, input === undefined ? 'ignore' : 'pipe')
  if (input !== undefined) child.stdin!.end(input)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk) => (stdout += chunk))
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
}
