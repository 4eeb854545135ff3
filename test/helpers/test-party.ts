import { randomUUID } from 'node:crypto'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose'
import type { DIDDocument, JsonWebKey as DidJsonWebKey } from 'did-resolver'

/** A DCP party made up by a test: a DID, an ES256 key pair and the DID document that publishes it. */
export interface TestParty {
  did: string
  kid: string
  privateKey: CryptoKey
  publicJwk: JWK
  document: DIDDocument
  /** Signs claims as this party, with `kid` and ES256 unless the header overrides them. */
  sign(payload: JWTPayload, header?: Record<string, unknown>): Promise<string>
}

export async function createTestParty(did: string): Promise<TestParty> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  const kid = `${did}#key-1`
  const document: DIDDocument = {
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: did,
    verificationMethod: [{ id: kid, type: 'JsonWebKey2020', controller: did, publicKeyJwk: publicJwk as DidJsonWebKey }],
    authentication: [kid],
    assertionMethod: [kid],
    capabilityInvocation: [kid],
  }
  return {
    did,
    kid,
    privateKey,
    publicJwk,
    document,
    sign: (payload, header = {}) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT', ...header }).sign(privateKey),
  }
}

/** Claims of a Self-Issued ID token from `issuer` to `audience`, valid for five minutes. */
export function selfIssuedClaims(issuer: string, audience: string, extra: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000)
  return { iss: issuer, sub: issuer, aud: audience, jti: randomUUID(), iat: now, exp: now + 300, ...extra }
}

/** A `localDocuments` hook over a fixed set of parties. */
export function documentsOf(...parties: TestParty[]) {
  const byDid = new Map(parties.map((party) => [party.did, party.document]))
  return async (did: string) => byDid.get(did)
}
