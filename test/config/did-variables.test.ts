import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config/config.js'

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

t.test('DID defaults', async (t) => {
  t.same(loadConfig({}).did, {
    httpHosts: [],
    maxRedirects: 3,
    resolveTimeoutMs: 5000,
    documentMaxBytes: 262144,
    cacheTtlSeconds: 300,
    cacheNegativeTtlSeconds: 30,
    cacheMaxBytes: 8388608,
    allowMissingContentType: false,
    keyRelationships: 'strict',
  })
})

t.test('DID variables read', async (t) => {
  const config = loadConfig({
    DID_WEB_HTTP_HOSTS: 'localhost:8080, Identity.Svc.Cluster.Local ,[::1]:9000,[fd00::1],',
    DID_MAX_REDIRECTS: '0',
    DID_RESOLVE_TIMEOUT_MS: '250',
    DID_DOCUMENT_MAX_BYTES: '4096',
    DID_CACHE_TTL_SECONDS: '60',
    DID_CACHE_NEGATIVE_TTL_SECONDS: '5',
    DID_CACHE_MAX_BYTES: '0',
    DID_ALLOW_MISSING_CONTENT_TYPE: 'true',
    DID_KEY_RELATIONSHIPS: 'any-listed',
  })
  t.same(config.did, {
    httpHosts: [
      { hostname: 'localhost', port: 8080, scheme: 'http' },
      { hostname: 'identity.svc.cluster.local', scheme: 'http' },
      { hostname: '::1', port: 9000, scheme: 'http' },
      { hostname: 'fd00::1', scheme: 'http' },
    ],
    maxRedirects: 0,
    resolveTimeoutMs: 250,
    documentMaxBytes: 4096,
    cacheTtlSeconds: 60,
    cacheNegativeTtlSeconds: 5,
    cacheMaxBytes: 0,
    allowMissingContentType: true,
    keyRelationships: 'any-listed',
  })
})

const cases: Array<[string, Record<string, string>, string]> = [
  [
    'host with a scheme',
    { DID_WEB_HTTP_HOSTS: 'http://localhost' },
    'DID_WEB_HTTP_HOSTS: "http://localhost" is not a host; expected host or host:port, such as localhost:8080',
  ],
  [
    'bare IPv6 host',
    { DID_WEB_HTTP_HOSTS: '::1' },
    'DID_WEB_HTTP_HOSTS: "::1" is not a host; expected host or host:port, such as localhost:8080',
  ],
  [
    'bracketed name',
    { DID_WEB_HTTP_HOSTS: '[localhost]:80' },
    'DID_WEB_HTTP_HOSTS: "[localhost]:80" is not a host; expected host or host:port, such as localhost:8080',
  ],
  [
    'port zero',
    { DID_WEB_HTTP_HOSTS: 'localhost:0' },
    'DID_WEB_HTTP_HOSTS: "localhost:0" has port 0; expected a port from 1 to 65535',
  ],
  [
    'too many redirects',
    { DID_MAX_REDIRECTS: '11' },
    'DID_MAX_REDIRECTS: 11 is out of range; expected an integer from 0 to 10',
  ],
  [
    'timeout too short',
    { DID_RESOLVE_TIMEOUT_MS: '10' },
    'DID_RESOLVE_TIMEOUT_MS: 10 is out of range; expected an integer from 100 to 60000',
  ],
  [
    'document cap too small',
    { DID_DOCUMENT_MAX_BYTES: '100' },
    'DID_DOCUMENT_MAX_BYTES: 100 is out of range; expected an integer from 1024 to 16777216',
  ],
  [
    'negative TTL',
    { DID_CACHE_TTL_SECONDS: '-1' },
    'DID_CACHE_TTL_SECONDS: -1 is out of range; expected an integer from 0 to 86400',
  ],
  [
    'unknown relationship policy',
    { DID_KEY_RELATIONSHIPS: 'lenient' },
    'DID_KEY_RELATIONSHIPS: "lenient" is not allowed; expected one of strict, any-listed',
  ],
  [
    'content type switch not boolean',
    { DID_ALLOW_MISSING_CONTENT_TYPE: 'sometimes' },
    'DID_ALLOW_MISSING_CONTENT_TYPE: "sometimes" is not a boolean; expected true or false',
  ],
]

for (const [name, env, expected] of cases) {
  t.test(`rejects ${name}`, async (t) => {
    t.same(problemsOf(env), [expected])
  })
}
