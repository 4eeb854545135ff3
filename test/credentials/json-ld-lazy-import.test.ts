import { register } from 'node:module'
import { MessageChannel } from 'node:worker_threads'
import t from 'tap'

// Loading the JSON-LD libraries costs start time and memory, so modules on the JWT paths import
// them only inside Data Integrity operations. This test loads the whole service and checks that
// no JSON-LD library was resolved.
t.test('service start loads no JSON-LD library', async (t) => {
  const { port1, port2 } = new MessageChannel()
  const resolved: string[] = []
  port1.on('message', (specifier: string) => resolved.push(specifier))
  port1.unref()
  register(new URL('../helpers/record-imports-hook.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] })

  await import('../../src/server.js')
  await import('../../src/holder/presentation-service.js')
  await import('../../src/issuer/issuance-service.js')
  await import('../../src/holder/credential-intake.js')
  await new Promise((resolve) => setTimeout(resolve, 200))

  t.ok(resolved.some((specifier) => specifier.includes('presentation-signer')), 'the hook saw the service modules')
  const jsonLd = resolved.filter((specifier) => /^(jsonld|jsonld-signatures|rdf-canonize|@digitalbazaar\/)/.test(specifier))
  t.same(jsonLd, [], 'no JSON-LD library was resolved')
})
