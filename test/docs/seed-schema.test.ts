import { readFileSync } from 'node:fs'
import t from 'tap'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse as parseYaml } from 'yaml'
import { renderSeedJsonSchema } from '../../src/seed/seed-json-schema.js'

const schemaText = readFileSync(new URL('../../docs/seed.schema.json', import.meta.url), 'utf8')
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

// Ajv is an independent JSON Schema validator, so these checks hold for editors and CI tools that
// read the published file, not only for the service's own TypeBox checks.
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(schemaText) as object)

t.test('docs/seed.schema.json matches the seed schema', async (t) => {
  t.equal(schemaText, renderSeedJsonSchema(), 'run `npm run docs:config` to regenerate it')
})

t.test('the README seed example is valid', async (t) => {
  const section = readme.slice(readme.indexOf('## Seed file'))
  const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1]
  t.ok(example, 'the Seed file section has a YAML example')
  const valid = validate(parseYaml(example!))
  t.ok(valid, JSON.stringify(validate.errors))
})

t.test('a seed with an unknown field is invalid', async (t) => {
  const valid = validate({ participants: [{ id: 'x', did: 'did:web:x.example', roles: ['holder'], colour: 'red' }] })
  t.notOk(valid)
  t.equal(validate.errors?.[0]?.keyword, 'additionalProperties')
})

t.test('a credential request without an issuer DID is invalid', async (t) => {
  const valid = validate({
    participants: [{ id: 'x', did: 'did:web:x.example', roles: ['holder'], credentialRequests: [{ credentialTypes: ['MembershipCredential'] }] }],
  })
  t.notOk(valid)
  t.match(JSON.stringify(validate.errors), 'issuerDid')
})
