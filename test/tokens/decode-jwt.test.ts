import { generateKeyPairSync } from 'node:crypto'
import { SignJWT } from 'jose'
import t from 'tap'
import { decodeJwtParts } from '../../src/tokens/decode-jwt.js'
import { thrownBy } from '../helpers/errors.js'

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })

t.test('a signed JWT decodes to its header and claims', async (t) => {
  const token = await new SignJWT({ iss: 'did:web:a.example', aud: ['x', 'y'], name: 'Zoë' })
    .setProtectedHeader({ alg: 'ES256', kid: 'did:web:a.example#key-1' })
    .sign(privateKey)
  const { header, payload } = decodeJwtParts(token, 'the token')
  t.same(header, { alg: 'ES256', kid: 'did:web:a.example#key-1' })
  t.same(payload, { iss: 'did:web:a.example', aud: ['x', 'y'], name: 'Zoë' })
})

const malformed: Array<[string, string]> = [
  ['two parts', `${encode({ alg: 'ES256' })}.${encode({ sub: 'x' })}`],
  ['five parts of a JWE', `${encode({ alg: 'RSA-OAEP' })}.a.b.c.d`],
  ['a character outside base64url', `${encode({ alg: 'ES256' })}.${encode({ sub: 'x' })}!.c2ln`],
  ['claims that are an array', `${encode({ alg: 'ES256' })}.${encode(['x'])}.c2ln`],
  ['claims that are not JSON', `${encode({ alg: 'ES256' })}.${Buffer.from('{sub').toString('base64url')}.c2ln`],
  ['a header that is a string', `${encode('ES256')}.${encode({ sub: 'x' })}.c2ln`],
]

for (const [name, token] of malformed) {
  t.test(`${name} is malformed`, async (t) => {
    const error = thrownBy(() => decodeJwtParts(token, 'the token'))
    t.equal(error.code, 'ERR_TOKEN_MALFORMED')
    t.equal(error.message, 'the token is not a compact JWS with JSON header and claims')
  })
}

t.test('an unsigned token names its algorithm', async (t) => {
  const error = thrownBy(() => decodeJwtParts(`${encode({ alg: 'none' })}.${encode({ sub: 'x' })}.`, 'the token'))
  t.equal(error.code, 'ERR_TOKEN_ALGORITHM_UNSUPPORTED')
  t.equal(error.message, 'the token is signed with unsupported "alg" "none"')
})
