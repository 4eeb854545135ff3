import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { findTool, repoRoot, run } from './tools.js'

// No Docker engine runs here, so the Dockerfile is checked statically and with hadolint.

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
const stages = instructions.filter((line) => line.startsWith('FROM '))
const runtime = instructions.slice(instructions.lastIndexOf(stages.at(-1)!))

t.test('image builds in several stages', async (t) => {
  t.ok(stages.length >= 2, 'a build stage and a runtime stage')
  t.match(dockerfile, /^ARG NODE_IMAGE=node:20[.\d]*-[a-z]+-slim$/m, 'a slim Node 20 base')
  for (const stage of stages) t.match(stage, /^FROM \$\{NODE_IMAGE\} AS [a-z-]+$/)
})

t.test('runtime installs production dependencies only', async (t) => {
  const install = instructions.find((line) => line.includes('npm ci --omit=dev'))
  t.ok(install, 'npm ci --omit=dev')
  t.match(install!, '--ignore-scripts', 'prepare (tsc) is not run without dev dependencies')
  t.notOk(runtime.some((line) => /npm (ci|install)/.test(line)), 'the runtime stage itself installs nothing')
  t.ok(runtime.some((line) => /^COPY --from=production-dependencies \/app\/node_modules/.test(line)))
  t.ok(runtime.some((line) => /^COPY --from=build \/src\/dist/.test(line)))
  t.ok(runtime.some((line) => line === 'COPY migrations ./migrations'), 'migrations are read at run time')
})

t.test('runtime runs as a numeric non-root user', async (t) => {
  const user = runtime.filter((line) => line.startsWith('USER ')).at(-1)
  t.match(user, /^USER [1-9]\d*:[1-9]\d*$/)
})

t.test('runtime sets the thread pool size', async (t) => {
  const env = runtime.find((line) => line.startsWith('ENV '))
  t.match(env, /\sUV_THREADPOOL_SIZE=1(\s|$)/)
  t.match(env, /\sNODE_OPTIONS="[^"]*--v8-pool-size=1[^"]*"/, 'one V8 thread')
})

t.test('image has no health check', async (t) => {
  t.notOk(instructions.some((line) => line.startsWith('HEALTHCHECK')))
})

t.test('entry point runs dcp-identity serve', async (t) => {
  t.ok(runtime.includes('ENTRYPOINT ["dcp-identity"]'))
  t.ok(runtime.includes('CMD ["serve"]'))
  t.match(readFileSync(join(repoRoot, 'bin', 'dcp-identity.js'), 'utf8'), /^#!\/usr\/bin\/env node/)
})

t.test('every copied path exists and is sent', async (t) => {
  const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
  const allowed = ignore.split('\n').filter((line) => line.startsWith('!')).map((line) => line.slice(1).replace(/\/$/, ''))
  for (const line of instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
    const sources = line.split(/\s+/).slice(1, -1)
    for (const source of sources) {
      t.ok(existsSync(join(repoRoot, source)), `${source} exists`)
      t.ok(allowed.includes(source), `${source} is not excluded by .dockerignore`)
    }
  }
  t.match(ignore, /^\*$/m, '.dockerignore excludes everything else')
})

const hadolint = findTool('hadolint')
t.test('hadolint finds no problem', { skip: hadolint ? false : 'hadolint not installed (run .ci/install-lint-tools.sh)' }, async (t) => {
  const result = run(hadolint!, [join(repoRoot, 'Dockerfile')])
  t.equal(result.status, 0, result.stdout + result.stderr)
})
