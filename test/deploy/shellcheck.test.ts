import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { findTool, repoRoot, run } from './tools.js'

const scripts = [
  'scripts/deploy',
  'scripts/destroy',
  ...readdirSync(join(repoRoot, 'scripts', 'lib')).map((file) => `scripts/lib/${file}`),
  '.ci/run',
  'test/conformance/run-suite.sh',
  'test/conformance/run-tck.sh',
  ...readdirSync(join(repoRoot, '.ci')).filter((file) => file.endsWith('.sh')).map((file) => `.ci/${file}`),
]

const shellcheck = findTool('shellcheck')
for (const script of scripts) {
  t.test(`shellcheck passes ${script}`, { skip: shellcheck ? false : 'shellcheck not installed (run .ci/install-lint-tools.sh)' }, async (t) => {
    const result = run(shellcheck!, ['--external-sources', '--severity=style', join(repoRoot, script)])
    t.equal(result.status, 0, result.stdout + result.stderr)
  })
}
