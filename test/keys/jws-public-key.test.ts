import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { exportJWK, SignJWT } from 'jose'
import t from 'tap'
import { importJwsPublicKey, jwsSignatureVerifies } from '../../src/keys/jws-public-key.js'

// Tokens are signed with jose, an independent JWS implementation, so a shared misreading of
// RFC 7515 or 7518 would show up as a failed check.
const keyPairs: Array<[string, () => { privateKey: KeyObject; publicKey: KeyObject }]> = [
  ['ES256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ['ES384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' })],
  ['ES512', () => generateKeyPairSync('ec', { namedCurve: 'P-521' })],
  ['EdDSA', () => generateKeyPairSync('ed25519')],
  ['RS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ['RS512', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ['PS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ['PS384', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
]

async function jwkOf(publicKey: KeyObject): Promise<Record<string, unknown>> {
  return { ...(await exportJWK(publicKey)) }
}

async function signed(alg: string, privateKey: KeyObject, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ sub: 'did:web:holder.example', jti: 'a' }).setProtectedHeader({ ...header, alg }).sign(privateKey)
}

/** Replaces one part of a compact JWS. */
function withPart(token: string, index: number, part: string): string {
  const parts = token.split('.')
  parts[index] = part
  return parts.join('.')
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

for (const [alg, generate] of keyPairs) {
  t.test(`${alg} signature from jose verifies`, async (t) => {
    const { privateKey, publicKey } = generate()
    const key = importJwsPublicKey(await jwkOf(publicKey), alg)
    const token = await signed(alg, privateKey)
    t.equal(jwsSignatureVerifies(token, key), true)

    const otherClaims = withPart(token, 1, encode({ sub: 'did:web:attacker.example', jti: 'a' }))
    t.equal(jwsSignatureVerifies(otherClaims, key), false, 'changed claims fail')
    const other = generate()
    t.equal(jwsSignatureVerifies(await signed(alg, other.privateKey), key), false, 'another key fails')
  })
}

t.test('header naming another algorithm fails', async (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = await jwkOf(publicKey)
  const token = await signed('RS256', privateKey)
  t.equal(jwsSignatureVerifies(token, importJwsPublicKey(jwk, 'RS256')), true)
  t.equal(jwsSignatureVerifies(token, importJwsPublicKey(jwk, 'PS256')), false)
})

t.test('critical extension or unencoded payload fails', async (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const key = importJwsPublicKey(await jwkOf(publicKey), 'ES256')
  const sign256 = (header: Record<string, unknown>) => {
    const input = `${encode(header)}.${encode({ sub: 'x' })}`
    const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
    return `${input}.${signature.toString('base64url')}`
  }
  t.equal(jwsSignatureVerifies(sign256({ alg: 'ES256' }), key), true, 'the same construction without extensions verifies')
  t.equal(jwsSignatureVerifies(sign256({ alg: 'ES256', crit: ['exp'], exp: 1 }), key), false)
  t.equal(jwsSignatureVerifies(sign256({ alg: 'ES256', b64: true }), key), false)
  t.equal(jwsSignatureVerifies(sign256({ alg: 'none' }), key), false)
})

t.test('malformed tokens fail', async (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const key = importJwsPublicKey(await jwkOf(publicKey), 'ES256')
  const token = await signed('ES256', privateKey)
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const cases: Array<[string, string]> = [
    ['two parts', `${header}.${payload}`],
    ['four parts', `${token}.${signature}`],
    ['an empty payload', `${header}..${signature}`],
    ['a character outside base64url in the signature', `${header}.${payload}.${signature}!`],
    ['padding', `${header}.${payload}.${signature}=`],
    ['a header that is not JSON', withPart(token, 0, Buffer.from('{alg').toString('base64url'))],
    ['a header that is an array', withPart(token, 0, encode(['ES256']))],
    ['a DER-encoded signature', withPart(token, 2, sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url'))],
    ['a truncated signature', withPart(token, 2, Buffer.from(signature, 'base64url').subarray(0, 63).toString('base64url'))],
  ]
  for (const [name, malformed] of cases) t.equal(jwsSignatureVerifies(malformed, key), false, name)
})

t.test('keys that do not fit the algorithm are refused with the reason', async (t) => {
  const p256 = await jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)
  const weakRsa = await jwkOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['another curve', p256, 'ES384', 'ES384 needs curve secp384r1, not prime256v1'],
    ['another key type', p256, 'EdDSA', 'a key of type "ec" cannot verify EdDSA'],
    ['a short RSA key', weakRsa, 'RS256', 'RS256 needs an RSA key of at least 2048 bits, not 1024'],
    ['a symmetric algorithm', p256, 'HS256', '"alg" "HS256" is not an accepted JWS algorithm'],
    ['no algorithm', p256, 'none', '"alg" "none" is not an accepted JWS algorithm'],
    ['a broken point', { kty: 'EC', crv: 'P-256', x: 'abc', y: 'def' }, 'ES256', 'the JWK is not a valid public key: Invalid JWK EC key'],
  ]
  for (const [name, jwk, alg, message] of cases) {
    t.throws(() => importJwsPublicKey(jwk, alg), new TypeError(message), name)
  }
})

t.test('an imported key is reused for the same JWK and algorithm', async (t) => {
  const jwk = await jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)
  const first = importJwsPublicKey(jwk, 'ES256')
  t.equal(importJwsPublicKey({ ...jwk }, 'ES256'), first)
  t.not(importJwsPublicKey({ ...jwk, kid: 'other' }, 'ES256'), first, 'another JWK is imported anew')
})
