#!/usr/bin/env node
// Copies the JSON-LD contexts that Data Integrity credentials and presentations use from the npm
// packages that publish them into jsonld-contexts, with an index from context URL to file.
// The service reads only these files at run time and never fetches a context over the network.
// Run it after upgrading one of the context packages: `node tools/vendor-jsonld-contexts.mjs`.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const packages = [
  '@digitalbazaar/credentials-context',
  '@digitalbazaar/security-context',
  'did-context',
  '@digitalbazaar/data-integrity-context',
  '@digitalbazaar/multikey-context',
  '@digitalbazaar/vc-status-list-context',
  '@digitalbazaar/vc-bitstring-status-list-context',
]

// DID documents of this service name the DCP context, which no npm package publishes. The copy
// comes from the DCP specification repository (v1.0.1, Apache-2.0).
const dcpContextUrl = 'https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'
const dcpContextFile = process.env.DCP_CONTEXT_FILE ?? '../shared/dcp-spec/v1.0.1/context/dcp.jsonld'

const target = new URL('../jsonld-contexts/', import.meta.url)
const index = {}

for (const name of packages) {
  const module = await import(name)
  const contexts = module.contexts ?? module.default?.contexts
  const version = JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version
  for (const [url, context] of contexts) {
    const file = `${fileNameOf(url)}.jsonld`
    writeFileSync(new URL(file, target), `${JSON.stringify(context, null, 2)}\n`)
    index[url] = { file, source: `${name}@${version}` }
  }
}

const dcpContext = JSON.parse(readFileSync(dcpContextFile, 'utf8'))
writeFileSync(new URL('dspace-dcp-v1.0.jsonld', target), `${JSON.stringify(dcpContext, null, 2)}\n`)
index[dcpContextUrl] = { file: 'dspace-dcp-v1.0.jsonld', source: 'eclipse-dataspace-dcp v1.0.1' }

writeFileSync(new URL('index.json', target), `${JSON.stringify(index, null, 2)}\n`)
console.log(`wrote ${Object.keys(index).length} contexts to ${fileURLToPath(target)}`)

function fileNameOf(url) {
  return url
    .replace(/^https?:\/\//, '')
    .replace(/\.jsonld$/, '')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/-+$/, '')
}
