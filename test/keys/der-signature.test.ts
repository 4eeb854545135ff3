import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto'
import t from 'tap'
import { derToJose, SignatureEncodingError } from '../../src/keys/der-signature.js'

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'))
const fill = (byte: string, count: number) => byte.repeat(count)

/** DER of SEQUENCE { INTEGER r, INTEGER s } from the hex contents of both integers. */
function der(r: string, s: string): Uint8Array {
  const integer = (value: string) => `02${(value.length / 2).toString(16).padStart(2, '0')}${value}`
  const body = integer(r) + integer(s)
  const length = body.length / 2
  const header = length < 0x80 ? `30${length.toString(16).padStart(2, '0')}` : `3081${length.toString(16)}`
  return hex(header + body)
}

t.test('converts full-size r and s', async (t) => {
  const r = fill('11', 32)
  const s = fill('22', 32)
  t.same(Buffer.from(derToJose(der(r, s), 32)).toString('hex'), r + s)
})

t.test('strips the sign byte of high r and s', async (t) => {
  const r = fill('ff', 32)
  const s = `80${fill('01', 31)}`
  t.same(Buffer.from(derToJose(der(`00${r}`, `00${s}`), 32)).toString('hex'), r + s)
})

t.test('left-pads short r', async (t) => {
  const r = fill('7f', 31)
  const s = fill('33', 32)
  t.same(Buffer.from(derToJose(der(r, s), 32)).toString('hex'), `00${r}${s}`)
})

t.test('left-pads short s', async (t) => {
  const r = fill('44', 32)
  const s = '01'
  t.same(Buffer.from(derToJose(der(r, s), 32)).toString('hex'), `${r}${fill('00', 31)}01`)
})

t.test('reads long-form lengths for P-521 sizes', async (t) => {
  const r = `01${fill('aa', 65)}`
  // 65 bytes with the high bit set take a sign byte, so s is encoded in 66 bytes.
  const s = `00${fill('bb', 65)}`
  const jose = derToJose(der(r, s), 66)
  t.equal(jose.length, 132)
  t.same(Buffer.from(jose.subarray(0, 66)).toString('hex'), r)
  t.same(Buffer.from(jose.subarray(66)).toString('hex'), `00${fill('bb', 65)}`)
})

const malformed: Array<[string, Uint8Array, string]> = [
  ['not a sequence', hex(`3106 020101 020101`), 'invalid DER signature: expected a SEQUENCE'],
  ['sequence too long', hex(`3007 020101 020101`), 'invalid DER signature: the SEQUENCE declares 7 bytes but 6 follow'],
  ['trailing bytes', hex(`3007 020101 020101 00`), 'invalid DER signature: bytes follow the s INTEGER'],
  ['r not an integer', hex(`3006 040101 020101`), 'invalid DER signature: expected the r INTEGER'],
  ['s missing', hex(`3003 020101`), 'invalid DER signature: expected the s INTEGER'],
  ['negative r', hex(`3006 020180 020101`), 'invalid DER signature: r is negative'],
  ['non-minimal s', hex(`3007 020101 02020001`), 'invalid DER signature: s has a non-minimal encoding'],
  ['empty r', hex(`3005 0200 020101`), 'invalid DER signature: the r INTEGER is empty'],
  ['truncated s', hex(`3006 020101 020501`), 'invalid DER signature: the s INTEGER is truncated'],
  ['non-minimal length', hex(`308106 020101 020101`), 'invalid DER signature: non-minimal length'],
  ['two length bytes', hex(`30820006 020101 020101`), 'invalid DER signature: unsupported length encoding'],
  ['empty input', new Uint8Array(0), 'invalid DER signature: expected a SEQUENCE'],
  ['r too large', der(`01${fill('00', 32)}`, '01'), 'invalid DER signature: r has 33 bytes; expected at most 32'],
]

for (const [name, input, message] of malformed) {
  t.test(`rejects ${name}`, async (t) => {
    t.throws(() => derToJose(input, 32), new SignatureEncodingError(message))
  })
}

t.test('node DER signatures verify after conversion', async (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  let shortValues = 0
  let failures = 0
  for (let i = 0; i < 4000; i += 1) {
    const message = randomBytes(48)
    const jose = derToJose(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }), 32)
    if (jose[0] === 0 || jose[32] === 0) shortValues += 1
    if (!verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, jose)) failures += 1
  }
  t.equal(failures, 0, 'every converted signature verifies')
  // About 1 in 128 signatures has an r or s below 2^248; none in 4000 has probability below 1e-13.
  t.ok(shortValues > 0, `short r or s occurred (${shortValues} times)`)
})
