import { readFileSync } from 'node:fs'
import t from 'tap'
import { renderVariablesTable } from '../../src/config/render-table.js'
import { errorCodes } from '../../src/errors/codes.js'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

t.test('errors page lists every code with its status', async (t) => {
  const page = read('docs/errors.md')
  const documented = new Map(
    [...page.matchAll(/^\| `(ERR_[A-Z_]+)` \| (\d{3}) \|/gm)].map((match) => [match[1]!, Number(match[2])]),
  )
  for (const [code, { status }] of Object.entries(errorCodes)) {
    t.equal(documented.get(code), status, `${code} documented with status ${status}`)
  }
  const stale = [...documented.keys()].filter((code) => !(code in errorCodes))
  t.same(stale, [], 'no documented code is unknown to the service')
})

t.test('README configuration table matches the variables', async (t) => {
  const readme = read('README.md')
  const block = /<!-- config:start -->\n([\s\S]*?)\n<!-- config:end -->/.exec(readme)
  t.ok(block, 'README has the configuration block')
  t.equal(block?.[1], renderVariablesTable(), 'run `npm run docs:config` to regenerate it')
})

t.test('README names the test command that CI runs', async (t) => {
  t.match(read('README.md'), /```sh\nnpm test\n```/)
  t.match(read('.ci/run'), /npm test/)
})
