import { generateKeyPairSync, sign, X509Certificate } from 'node:crypto'

/** A certificate and its private key in PEM form, for an https test server. */
export interface TestCertificate {
  cert: string
  key: string
}

/**
 * Generates a self-signed P-256 certificate for `localhost` and 127.0.0.1, valid for one day.
 * It is built from DER by hand because Node has no certificate builder and the tests should not
 * depend on an openssl binary.
 */
export function selfSignedCertificate(commonName = 'localhost'): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'))
  const name = sequence(set(sequence(oid('2.5.4.3'), tagged(0x0c, Buffer.from(commonName)))))
  const now = Date.now()
  const subjectAltName = sequence(tagged(0x82, Buffer.from(commonName)), tagged(0x87, Buffer.from([127, 0, 0, 1])))

  const tbs = sequence(
    tagged(0xa0, integer(Buffer.from([2]))),
    integer(Buffer.from([1, ...Array.from({ length: 8 }, () => Math.floor(Math.random() * 256))])),
    ecdsaWithSha256,
    name,
    sequence(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    tagged(0xa3, sequence(sequence(oid('2.5.29.17'), tagged(0x04, subjectAltName)))),
  )
  const signature = sign('sha256', tbs, privateKey)
  const der = sequence(tbs, ecdsaWithSha256, tagged(0x03, Buffer.concat([Buffer.from([0]), signature])))

  const cert = new X509Certificate(der).toString()
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  return { cert, key }
}

function tagged(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content])
}

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size])
  const bytes: number[] = []
  for (let rest = size; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function sequence(...items: Buffer[]): Buffer {
  return tagged(0x30, Buffer.concat(items))
}

function set(...items: Buffer[]): Buffer {
  return tagged(0x31, Buffer.concat(items))
}

function integer(value: Buffer): Buffer {
  return tagged(0x02, value)
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number)
  const bytes = [first * 40 + second]
  for (const arc of rest) {
    const groups: number[] = []
    for (let value = arc; ; value = Math.floor(value / 128)) {
      groups.unshift((value % 128) | (groups.length === 0 ? 0 : 0x80))
      if (value < 128) break
    }
    bytes.push(...groups)
  }
  return tagged(0x06, Buffer.from(bytes))
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'
  return tagged(0x17, Buffer.from(text))
}
