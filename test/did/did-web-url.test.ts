import t from 'tap'
import { didWebDocumentUrl } from '../../src/did/did-web-url.js'
import { HostAllowList } from '../../src/did/host-allow-list.js'
import { thrownBy } from '../helpers/errors.js'

const none = new HostAllowList([])
const http = new HostAllowList([
  { hostname: 'localhost', port: 8080, scheme: 'http' },
  { hostname: 'svc.cluster.local', scheme: 'http' },
  { hostname: 'plain.example', port: 80, scheme: 'http' },
])

const mappings: Array<[string, HostAllowList, string]> = [
  ['did:web:example.com', none, 'https://example.com/.well-known/did.json'],
  ['did:web:w3c-ccg.github.io:user:alice', none, 'https://w3c-ccg.github.io/user/alice/did.json'],
  ['did:web:example.com%3A8443:x', none, 'https://example.com:8443/x/did.json'],
  ['did:web:example.com%3a8443', none, 'https://example.com:8443/.well-known/did.json'],
  ['did:web:domain%3A1100:api:v1', none, 'https://domain:1100/api/v1/did.json'],
  ['did:web:Example.COM', none, 'https://example.com/.well-known/did.json'],
  ['did:web:example.com:a%20b', none, 'https://example.com/a%20b/did.json'],
  ['did:web:example.com:a%2Fb', none, 'https://example.com/a%2Fb/did.json'],
  ['did:web:example.com%3A443', none, 'https://example.com/.well-known/did.json'],
  ['did:web:localhost%3A8080:companyx', http, 'http://localhost:8080/companyx/did.json'],
  ['did:web:localhost%3A8081:companyx', http, 'https://localhost:8081/companyx/did.json'],
  ['did:web:svc.cluster.local%3A7083:consumer', http, 'http://svc.cluster.local:7083/consumer/did.json'],
  ['did:web:plain.example', http, 'http://plain.example/.well-known/did.json'],
]

for (const [did, allowList, url] of mappings) {
  t.test(`maps ${did}`, async (t) => {
    t.equal(didWebDocumentUrl(did, allowList).href, url)
  })
}

const invalid: Array<[string, string]> = [
  ['did:key:z6Mk', 'expected a DID that starts with "did:web:"'],
  ['did:web:', 'segment "" is empty or has a character outside the DID syntax'],
  ['did:web:example.com::a', 'segment "" is empty or has a character outside the DID syntax'],
  ['did:web:exa mple.com', 'segment "exa mple.com" is empty or has a character outside the DID syntax'],
  ['did:web:example.com:%E0%A4%A', 'segment "%E0%A4%A" is empty or has a character outside the DID syntax'],
  ['did:web:example.com:%E0%A4', '"%E0%A4" has an invalid percent-encoding'],
  ['did:web:example.com:..', 'path segment ".." is a dot segment'],
  ['did:web:example.com:%2e%2E', 'path segment "%2e%2E" is a dot segment'],
  ['did:web:example.com:.', 'path segment "." is a dot segment'],
  ['did:web:example.com%3A0', 'port 0 is out of range 1 to 65535'],
  ['did:web:example.com%3A70000', 'port 70000 is out of range 1 to 65535'],
  ['did:web:example.com%3Ahttp', 'host "example.com%3Ahttp" is not a host name with an optional %3A port'],
  ['did:web:user%40example.com', 'host "user%40example.com" is not a host name with an optional %3A port'],
  ['did:web:example.com%2Fevil', 'host "example.com%2Fevil" is not a host name with an optional %3A port'],
  ['did:web:2130706433', 'host "2130706433" is not in canonical form'],
]

for (const [did, reason] of invalid) {
  t.test(`rejects ${did}`, async (t) => {
    const error = thrownBy(() => didWebDocumentUrl(did, none))
    t.equal(error.code, 'ERR_DID_INVALID')
    t.equal(error.message, `invalid did:web DID ${JSON.stringify(did)}: ${reason}`)
  })
}
