import t from 'tap'
import { guardedFetchJson, type GuardedFetchOptions } from '../../src/did/guarded-fetch.js'
import { boundedLookup } from '../../src/did/bounded-lookup.js'
import { HostAllowList, type HostRule } from '../../src/did/host-allow-list.js'
import { fakeLookup, json, spyOnConnect, startServer } from '../helpers/did-servers.js'
import { rejectionOf } from '../helpers/errors.js'
import { selfSignedCertificate } from '../helpers/self-signed-certificate.js'

const certificate = selfSignedCertificate()
const document = { id: 'did:web:example.com' }
const loopback = fakeLookup({ localhost: ['127.0.0.1'] })

function options(rules: HostRule[], overrides: Partial<GuardedFetchOptions> = {}): GuardedFetchOptions {
  return {
    allowList: new HostAllowList(rules),
    maxRedirects: 3,
    timeoutMs: 2000,
    maxBytes: 1024,
    lookup: loopback,
    ca: certificate.cert,
    ...overrides,
  }
}

const httpsLocalhost: HostRule[] = [{ hostname: 'localhost', scheme: 'https' }]
const httpLocalhost: HostRule[] = [{ hostname: 'localhost', scheme: 'http' }]

t.test('https fetch with a trusted authority', async (t) => {
  const server = await startServer(t, json(document), certificate)
  const response = await guardedFetchJson(new URL(`https://localhost:${server.port}/did.json`), options(httpsLocalhost))
  t.same(response.body, document)
  t.equal(response.mediaType, 'application/did+json')
  t.same(server.requests, ['/did.json'])
})

t.test('https verifies certificates by default', async (t) => {
  const server = await startServer(t, json(document), certificate)
  const withoutCa = options(httpsLocalhost)
  delete withoutCa.ca
  const error = await rejectionOf(guardedFetchJson(new URL(`https://localhost:${server.port}/did.json`), withoutCa))
  t.equal(error.code, 'ERR_DID_RESOLUTION_FAILED')
  t.equal(error.message, `request to "https://localhost:${server.port}/did.json" failed (DEPTH_ZERO_SELF_SIGNED_CERT)`)
  t.same(server.requests, [])
})

t.test('http to an allow-listed host', async (t) => {
  const server = await startServer(t, json(document, 200, 'application/json; charset=utf-8'))
  const response = await guardedFetchJson(new URL(`http://localhost:${server.port}/x/did.json`), options(httpLocalhost))
  t.same(response.body, document)
  t.equal(response.mediaType, 'application/json')
})

t.test('http rejected unless the host and port are allow-listed', async (t) => {
  const server = await startServer(t, json(document))
  const connects = spyOnConnect(t)
  const otherPort: HostRule[] = [{ hostname: 'localhost', port: server.port + 1, scheme: 'http' }]
  for (const rules of [[], httpsLocalhost, otherPort]) {
    const url = new URL(`http://localhost:${server.port}/did.json`)
    const error = await rejectionOf(guardedFetchJson(url, options(rules)))
    t.equal(error.code, 'ERR_DID_ADDRESS_REFUSED')
    t.equal(
      error.message,
      `http is not allowed for "localhost:${server.port}"; serve the DID document over https or add the host to DID_WEB_HTTP_HOSTS`,
    )
  }
  t.same(connects.hosts, [])
  t.same(server.requests, [])
})

const literalRejections: Array<[string, string]> = [
  ['127.0.0.1', 'address "127.0.0.1" is a loopback address'],
  ['[::1]', 'address "::1" is a loopback address'],
  ['10.1.2.3', 'address "10.1.2.3" is a private address'],
  ['172.16.0.1', 'address "172.16.0.1" is a private address'],
  ['172.31.255.254', 'address "172.31.255.254" is a private address'],
  ['192.168.1.1', 'address "192.168.1.1" is a private address'],
  ['169.254.10.10', 'address "169.254.10.10" is a link-local address'],
  ['[fe80::1]', 'address "fe80::1" is a link-local address'],
  ['[fd12:3456::1]', 'address "fd12:3456::1" is a unique-local address'],
  ['0.0.0.0', 'address "0.0.0.0" is a unspecified address'],
  ['[::]', 'address "::" is a unspecified address'],
  ['224.0.0.1', 'address "224.0.0.1" is a multicast address'],
  ['[::ffff:10.1.2.3]', 'address "::ffff:a01:203" is a private address'],
  ['[::ffff:127.0.0.1]', 'address "::ffff:7f00:1" is a loopback address'],
]
const allowListHint = '; only hosts on DID_WEB_HTTP_HOSTS may use such addresses'

for (const [host, reason] of literalRejections) {
  t.test(`literal ${host} rejected before connecting`, async (t) => {
    const connects = spyOnConnect(t)
    const error = await rejectionOf(guardedFetchJson(new URL(`https://${host}/.well-known/did.json`), options([])))
    t.equal(error.code, 'ERR_DID_ADDRESS_REFUSED')
    t.equal(error.message, `${reason}${allowListHint}`)
    t.same(connects.hosts, [])
  })
}

for (const host of ['169.254.169.254', '[fd00:ec2::254]']) {
  t.test(`metadata address ${host} rejected even when allow-listed`, async (t) => {
    const connects = spyOnConnect(t)
    const bare = host.replace(/[[\]]/g, '')
    const rules: HostRule[] = [{ hostname: bare, scheme: 'http' }]
    const error = await rejectionOf(guardedFetchJson(new URL(`http://${host}/latest/meta-data/`), options(rules)))
    t.equal(error.code, 'ERR_DID_ADDRESS_REFUSED')
    t.equal(error.message, `address "${bare}" is a metadata address`)
    t.same(connects.hosts, [])
  })
}

const namedRejections: Array<[string, string[], string]> = [
  ['private.example.test', ['10.0.0.7'], 'private'],
  ['rfc1918.example.test', ['172.20.1.1'], 'private'],
  ['home.example.test', ['192.168.0.10'], 'private'],
  ['loopback.example.test', ['127.0.0.53'], 'loopback'],
  ['six.example.test', ['::1'], 'loopback'],
  ['mapped.example.test', ['::ffff:192.168.0.1'], 'private'],
  ['metadata.example.test', ['169.254.169.254'], 'metadata'],
  ['mixed.example.test', ['8.8.8.8', '10.0.0.8'], 'private'],
]

for (const [name, addresses, category] of namedRejections) {
  t.test(`name resolving to ${addresses.join(', ')} rejected before connecting`, async (t) => {
    const connects = spyOnConnect(t)
    const lookup = fakeLookup({ [name]: addresses })
    const error = await rejectionOf(guardedFetchJson(new URL(`https://${name}/did.json`), options([], { lookup })))
    t.equal(error.code, 'ERR_DID_ADDRESS_REFUSED')
    const hint = category === 'metadata' ? '' : allowListHint
    t.equal(error.message, `host "${name}" resolves to a ${category} address${hint}`)
    t.same(lookup.names, [name])
    t.same(connects.hosts, [])
  })
}

t.test('allow-listed name may resolve to loopback', async (t) => {
  const server = await startServer(t, json(document), certificate)
  const connects = spyOnConnect(t, ['localhost'])
  const response = await guardedFetchJson(new URL(`https://localhost:${server.port}/did.json`), options(httpsLocalhost))
  t.same(response.body, document)
  t.same(connects.hosts, ['localhost'])
})

t.test('DNS failure', async (t) => {
  const error = await rejectionOf(guardedFetchJson(new URL('https://unknown.example.test/did.json'), options([])))
  t.equal(error.code, 'ERR_DID_RESOLUTION_FAILED')
  t.equal(error.message, 'DNS lookup of host "unknown.example.test" failed (ENOTFOUND)')
})

t.test('redirect followed to https', async (t) => {
  const target = await startServer(t, json(document), certificate)
  const origin = await startServer(t, (_request, response) => {
    response.writeHead(302, { location: `https://localhost:${target.port}/moved/did.json` }).end()
  })
  const response = await guardedFetchJson(new URL(`http://localhost:${origin.port}/did.json`), options(httpLocalhost))
  t.same(response.body, document)
  t.equal(response.url.href, `https://localhost:${target.port}/moved/did.json`)
  t.same(target.requests, ['/moved/did.json'])
})

t.test('redirect to http rejected', async (t) => {
  const target = await startServer(t, json(document))
  const origin = await startServer(
    t,
    (_request, response) => {
      response.writeHead(301, { location: `http://localhost:${target.port}/did.json` }).end()
    },
    certificate,
  )
  const rules: HostRule[] = [...httpsLocalhost, { hostname: 'localhost', port: target.port, scheme: 'http' }]
  const start = `https://localhost:${origin.port}/did.json`
  const error = await rejectionOf(guardedFetchJson(new URL(start), options(rules)))
  t.equal(error.code, 'ERR_DID_REDIRECT_REFUSED')
  t.equal(
    error.message,
    `redirect from "${start}" to "http://localhost:${target.port}/did.json" is rejected; redirects must lead to https`,
  )
  t.same(target.requests, [])
})

t.test('redirect target checked again', async (t) => {
  const origin = await startServer(
    t,
    (_request, response) => {
      response.writeHead(307, { location: 'https://10.9.8.7/did.json' }).end()
    },
    certificate,
  )
  const connects = spyOnConnect(t, ['localhost'])
  const error = await rejectionOf(
    guardedFetchJson(new URL(`https://localhost:${origin.port}/did.json`), options(httpsLocalhost)),
  )
  t.equal(error.code, 'ERR_DID_ADDRESS_REFUSED')
  t.equal(error.message, `address "10.9.8.7" is a private address${allowListHint}`)
  t.same(connects.hosts, ['localhost'])
})

t.test('redirect chain longer than the maximum rejected', async (t) => {
  const server = await startServer(
    t,
    (request, response) => {
      const step = Number(request.url?.split('/')[1] ?? 0)
      response.writeHead(302, { location: `/${step + 1}` }).end()
    },
    certificate,
  )
  const start = `https://localhost:${server.port}/0`
  const error = await rejectionOf(guardedFetchJson(new URL(start), options(httpsLocalhost, { maxRedirects: 2 })))
  t.equal(error.code, 'ERR_DID_REDIRECT_REFUSED')
  t.equal(error.message, `fetching "${start}" needs more than 2 redirects`)
  t.same(server.requests, ['/0', '/1', '/2'])
})

t.test('redirects within the maximum followed', async (t) => {
  const server = await startServer(
    t,
    (request, response) => {
      if (request.url === '/2') json(document)(request, response)
      else response.writeHead(308, { location: request.url === '/0' ? '/1' : '/2' }).end()
    },
    certificate,
  )
  const response = await guardedFetchJson(
    new URL(`https://localhost:${server.port}/0`),
    options(httpsLocalhost, { maxRedirects: 2 }),
  )
  t.same(response.body, document)
  t.same(server.requests, ['/0', '/1', '/2'])
})

t.test('streamed body past the cap rejected', async (t) => {
  let written = 0
  const server = await startServer(t, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    const chunk = Buffer.alloc(256, 0x20)
    // Writes until the client hangs up; without the cap the test would never end.
    const writeMore = (): void => {
      while (!response.destroyed && written < 64 * 1024 * 1024 && response.write(chunk)) written += chunk.length
      if (!response.destroyed) response.once('drain', writeMore)
    }
    response.on('close', () => response.removeAllListeners('drain'))
    writeMore()
  })
  const url = `http://localhost:${server.port}/did.json`
  const error = await rejectionOf(guardedFetchJson(new URL(url), options(httpLocalhost)))
  t.equal(error.code, 'ERR_DID_DOCUMENT_TOO_LARGE')
  t.equal(error.message, `DID document at "${url}" is larger than 1024 bytes (DID_DOCUMENT_MAX_BYTES)`)
  t.ok(written < 64 * 1024 * 1024, 'the server stopped writing before the end of its body')
})

t.test('declared length past the cap rejected', async (t) => {
  const server = await startServer(t, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' })
    response.write('{')
  })
  const url = `http://localhost:${server.port}/did.json`
  const error = await rejectionOf(guardedFetchJson(new URL(url), options(httpLocalhost)))
  t.equal(error.code, 'ERR_DID_DOCUMENT_TOO_LARGE')
  t.equal(error.message, `DID document at "${url}" is larger than 1024 bytes (DID_DOCUMENT_MAX_BYTES)`)
})

t.test('body that never ends times out', async (t) => {
  const server = await startServer(t, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.write('{"id":')
  })
  const url = `http://localhost:${server.port}/did.json`
  const error = await rejectionOf(guardedFetchJson(new URL(url), options(httpLocalhost, { timeoutMs: 100 })))
  t.equal(error.code, 'ERR_DID_RESOLUTION_TIMEOUT')
  t.equal(error.message, `fetching "${url}" took longer than 100 ms`)
})

t.test('server that never answers times out', async (t) => {
  const server = await startServer(t, () => {})
  const url = `http://localhost:${server.port}/did.json`
  const error = await rejectionOf(guardedFetchJson(new URL(url), options(httpLocalhost, { timeoutMs: 100 })))
  t.equal(error.code, 'ERR_DID_RESOLUTION_TIMEOUT')
  t.equal(error.message, `fetching "${url}" took longer than 100 ms`)
  t.same(server.requests, ['/did.json'])
})

t.test('DNS that never answers times out', async (t) => {
  const lookup = async (): Promise<never> => new Promise(() => {})
  const url = 'https://slow-dns.example.test/did.json'
  const error = await rejectionOf(guardedFetchJson(new URL(url), options([], { lookup, timeoutMs: 50 })))
  t.equal(error.code, 'ERR_DID_RESOLUTION_TIMEOUT')
  t.equal(error.message, `fetching "${url}" took longer than 50 ms`)
})

const badResponses: Array<[string, (port: number) => Parameters<typeof json>, string, (url: string) => string]> = [
  [
    'HTML',
    () => [document, 200, 'text/html'],
    'ERR_DID_DOCUMENT_INVALID',
    (url) => `"${url}" returned content type "text/html"; expected application/did+json or application/json`,
  ],
  [
    'no content type',
    () => [document, 200, ''],
    'ERR_DID_DOCUMENT_INVALID',
    (url) => `"${url}" returned no content type; expected application/did+json or application/json`,
  ],
  ['404', () => [{}, 404], 'ERR_DID_NOT_FOUND', (url) => `DID document not found at "${url}" (HTTP 404)`],
  ['410', () => [{}, 410], 'ERR_DID_NOT_FOUND', (url) => `DID document not found at "${url}" (HTTP 410)`],
  ['500', () => [{}, 500], 'ERR_DID_RESOLUTION_FAILED', (url) => `"${url}" returned HTTP 500`],
]

for (const [name, response, code, message] of badResponses) {
  t.test(`response with ${name} rejected`, async (t) => {
    const server = await startServer(t, (request, reply) => {
      const [body, status, contentType] = response(0)
      if (contentType === '') {
        reply.writeHead(status ?? 200)
        reply.end(JSON.stringify(body))
      } else {
        json(body, status, contentType)(request, reply)
      }
    })
    const url = `http://localhost:${server.port}/did.json`
    const error = await rejectionOf(guardedFetchJson(new URL(url), options(httpLocalhost)))
    t.equal(error.code, code)
    t.equal(error.message, message(url))
  })
}

t.test('missing content type accepted when allowed', async (t) => {
  const server = await startServer(t, (_request, response) => {
    response.writeHead(200).end(JSON.stringify(document))
  })
  const url = new URL(`http://localhost:${server.port}/did.json`)
  const response = await guardedFetchJson(url, options(httpLocalhost, { allowMissingContentType: true }))
  t.same(response.body, document)
  t.equal(response.mediaType, 'application/json')
})

t.test('missing content type still needs JSON', async (t) => {
  const server = await startServer(t, (_request, response) => {
    response.writeHead(200).end('<html></html>')
  })
  const url = `http://localhost:${server.port}/did.json`
  const error = await rejectionOf(guardedFetchJson(new URL(url), options(httpLocalhost, { allowMissingContentType: true })))
  t.equal(error.code, 'ERR_DID_DOCUMENT_INVALID')
  t.equal(error.message, `"${url}" returned a body that is not valid JSON`)
})

t.test('wrong content type rejected when missing allowed', async (t) => {
  const server = await startServer(t, json(document, 200, 'text/html'))
  const url = `http://localhost:${server.port}/did.json`
  const error = await rejectionOf(guardedFetchJson(new URL(url), options(httpLocalhost, { allowMissingContentType: true })))
  t.equal(error.code, 'ERR_DID_DOCUMENT_INVALID')
  t.equal(error.message, `"${url}" returned content type "text/html"; expected application/did+json or application/json`)
})

t.test('invalid JSON rejected', async (t) => {
  const server = await startServer(t, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"id": ')
  })
  const url = `http://localhost:${server.port}/did.json`
  const error = await rejectionOf(guardedFetchJson(new URL(url), options(httpLocalhost)))
  t.equal(error.code, 'ERR_DID_DOCUMENT_INVALID')
  t.equal(error.message, `"${url}" returned a body that is not valid JSON`)
})

t.test('scheme other than http and https rejected', async (t) => {
  const error = await rejectionOf(guardedFetchJson(new URL('file:///etc/passwd'), options([])))
  t.equal(error.code, 'ERR_DID_ADDRESS_REFUSED')
  t.equal(error.message, 'scheme of "file:///etc/passwd" is not https')
})

t.test('http allowed when an https rule comes first', async (t) => {
  const server = await startServer(t, json(document))
  const rules: HostRule[] = [...httpsLocalhost, { hostname: 'localhost', port: server.port, scheme: 'http' }]
  const response = await guardedFetchJson(new URL(`http://localhost:${server.port}/did.json`), options(rules))
  t.same(response.body, document)
})

t.test('queued lookup times out', async (t) => {
  const lookup = boundedLookup(1, () => new Promise(() => {}))
  const first = rejectionOf(guardedFetchJson(new URL('https://held.example.test/did.json'), options([], { lookup, timeoutMs: 50 })))
  const url = 'https://queued.example.test/did.json'
  const error = await rejectionOf(guardedFetchJson(new URL(url), options([], { lookup, timeoutMs: 50 })))
  t.equal(error.code, 'ERR_DID_RESOLUTION_TIMEOUT')
  t.equal(error.message, `fetching "${url}" took longer than 50 ms`)
  t.equal((await first).code, 'ERR_DID_RESOLUTION_TIMEOUT')
})
