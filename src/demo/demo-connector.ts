import { gunzipSync } from 'node:zlib'
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose'
import { dcpContextV08, dcpContextV1, type DcpVersion } from '../dcp/context.js'
import type { DemoDidClient } from './demo-did-client.js'
import { HandshakeRejected } from './handshake-rejected.js'

/** Leeway a connector allows on token times. */
const clockToleranceSeconds = 30

/** A credential that passed every check, as a connector's policy engine receives it. */
export interface AcceptedCredential {
  id: string
  types: string[]
  issuer: string
  subject: Record<string, unknown>
}

export interface ConnectorOptions {
  did: string
  /** STS token endpoint of this connector's wallet, and its client credentials. */
  stsUrl: string
  clientId: string
  clientSecret: string
  dids: DemoDidClient
  trustedIssuers: readonly string[]
}

/**
 * Plays what an EDC or Tractus-X connector does with its wallet and with other participants'
 * wallets, over HTTP, and verifies what it receives with its own code (jose and plain fetches), the
 * way the connector's DCP extension checks a counter-party.
 */
export class DemoConnector {
  constructor(readonly options: ConnectorOptions) {}

  get did(): string {
    return this.options.did
  }

  /** Asks this connector's STS for an SI token, with new scopes or with a token to pass on. */
  async selfIssuedToken(audience: string, grant: { scopes: readonly string[] } | { token: string }): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      audience,
    })
    if ('scopes' in grant) form.set('bearer_access_scope', grant.scopes.join(' '))
    else form.set('token', grant.token)
    const response = await fetch(this.options.stsUrl, { method: 'POST', body: form })
    const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string }
    if (!response.ok || typeof body.access_token !== 'string') {
      throw new HandshakeRejected(`STS returned ${response.status}: ${body.error ?? ''} ${body.error_description ?? ''}`.trim())
    }
    return body.access_token
  }

  /**
   * Verifies a counter-party's SI token as the receiving connector does: signed by a key in the
   * sender's `capabilityInvocation`, issuer = subject = the key's DID, addressed to this connector,
   * unexpired. Resolves to the sender DID and the access token it carries.
   */
  async verifySelfIssuedToken(token: string): Promise<{ sender: string; accessToken: string; claims: JWTPayload }> {
    const { kid } = decodeProtectedHeader(token)
    const { did, key } = await this.options.dids.publicKey(kid, 'capabilityInvocation')
    const { payload } = await jwtVerify(token, key, { audience: this.did, clockTolerance: clockToleranceSeconds, requiredClaims: ['exp', 'jti'] }).catch(
      (error: Error) => {
        throw new HandshakeRejected(`SI token rejected: ${error.message}`)
      },
    )
    if (payload.iss !== payload.sub || payload.iss !== did) {
      throw new HandshakeRejected(`SI token rejected: iss ${payload.iss} and sub ${payload.sub} must both be the signer ${did}`)
    }
    if (typeof payload.token !== 'string') throw new HandshakeRejected('SI token rejected: no "token" claim to query the sender\'s wallet with')
    return { sender: did, accessToken: payload.token, claims: payload }
  }

  /** Queries a holder's Credential Service, resolved from its DID document, with an SI token. */
  async queryPresentations(holderDid: string, siToken: string, scopes: readonly string[], version: DcpVersion): Promise<{ context: string[]; presentations: string[] }> {
    const base = await this.options.dids.serviceEndpoint(holderDid, 'CredentialService')
    const context = version === '1.0' ? dcpContextV1 : dcpContextV08
    const response = await fetch(`${base}/presentations/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${siToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ '@context': [context], type: 'PresentationQueryMessage', scope: scopes }),
    })
    const body = (await response.json()) as { '@context'?: string[]; presentation?: unknown; message?: string; error?: string }
    if (!response.ok) throw new HandshakeRejected(`presentation query returned ${response.status}: ${body.error ?? ''} ${body.message ?? ''}`.trim())
    if (!Array.isArray(body.presentation) || !body.presentation.every((entry) => typeof entry === 'string')) {
      throw new HandshakeRejected('presentation response has no array of JWT presentations')
    }
    if (!body['@context']?.includes(context)) {
      throw new HandshakeRejected(`presentation response uses the context ${JSON.stringify(body['@context'])}, not the query's ${context}`)
    }
    return { context: body['@context'], presentations: body.presentation as string[] }
  }

  /**
   * Verifies each presentation and each credential in it as a connector does. A VP must be signed
   * by the holder's `authentication` key and addressed to this connector. Each VC must be signed by
   * an `assertionMethod` key of a trusted issuer, be about the holder, be within its dates, and be
   * neither revoked nor suspended on its status list.
   */
  async verifyPresentations(presentations: readonly string[], holderDid: string, audience = this.did): Promise<AcceptedCredential[]> {
    const accepted: AcceptedCredential[] = []
    for (const presentation of presentations) {
      const { kid } = decodeProtectedHeader(presentation)
      const { did, key } = await this.options.dids.publicKey(kid, 'authentication')
      if (did !== holderDid) throw new HandshakeRejected(`presentation signed by ${did}, not by the holder ${holderDid}`)
      const { payload } = await jwtVerify(presentation, key, { audience, issuer: holderDid, clockTolerance: clockToleranceSeconds }).catch(
        (error: Error) => {
          throw new HandshakeRejected(`presentation rejected: ${error.message}`)
        },
      )
      const vp = payload.vp as { verifiableCredential?: unknown } | undefined
      const credentials = vp?.verifiableCredential
      if (!Array.isArray(credentials)) throw new HandshakeRejected('presentation has no verifiableCredential list')
      for (const credential of credentials) {
        if (typeof credential !== 'string') throw new HandshakeRejected('presentation contains a credential that is not a VC-JWT')
        accepted.push(await this.verifyCredential(credential, holderDid))
      }
    }
    return accepted
  }

  private async verifyCredential(jwt: string, holderDid: string): Promise<AcceptedCredential> {
    const claims = decodeJwt(jwt)
    const vc = claims.vc as { id?: string; type?: string[]; credentialSubject?: Record<string, unknown>; credentialStatus?: unknown } | undefined
    const label = `${vc?.type?.filter((type) => type !== 'VerifiableCredential').join(', ') || 'credential'} ${vc?.id ?? claims.jti ?? ''}`.trim()
    const issuer = claims.iss ?? ''
    if (!this.options.trustedIssuers.includes(issuer)) throw new HandshakeRejected(`${label}: issuer ${issuer} is not trusted`)
    const { did, key } = await this.options.dids.publicKey(decodeProtectedHeader(jwt).kid, 'assertionMethod')
    if (did !== issuer) throw new HandshakeRejected(`${label}: signed by ${did}, not by its issuer ${issuer}`)
    await jwtVerify(jwt, key, { clockTolerance: clockToleranceSeconds }).catch((error: Error) => {
      throw new HandshakeRejected(`${label}: ${error.message}`)
    })
    const subject = vc?.credentialSubject ?? {}
    if (subject.id !== holderDid) throw new HandshakeRejected(`${label}: about ${String(subject.id)}, not the holder ${holderDid}`)
    for (const entry of [vc?.credentialStatus ?? []].flat()) await this.checkStatus(entry, label, issuer)
    return { id: vc?.id ?? '', types: vc?.type ?? [], issuer, subject }
  }

  /** Reads the credential's bit on its issuer's StatusList2021 or Bitstring status list. */
  private async checkStatus(entry: unknown, label: string, issuer: string): Promise<void> {
    const { statusListCredential, statusListIndex, statusPurpose } = entry as Record<string, string | undefined>
    if (!statusListCredential || statusListIndex === undefined) throw new HandshakeRejected(`${label}: status entry without list or index`)
    if (new URL(statusListCredential).origin !== this.options.dids.origin) {
      throw new HandshakeRejected(`${label}: status list ${statusListCredential} is outside this demo`)
    }
    const response = await fetch(statusListCredential, { headers: { accept: 'application/vc+jwt' } })
    if (!response.ok) throw new HandshakeRejected(`${label}: status list ${statusListCredential} returned ${response.status}`)
    const listJwt = (await response.text()).trim()
    const { did, key } = await this.options.dids.publicKey(decodeProtectedHeader(listJwt).kid, 'assertionMethod')
    if (did !== issuer) throw new HandshakeRejected(`${label}: status list signed by ${did}, not by ${issuer}`)
    const { payload } = await jwtVerify(listJwt, key, { clockTolerance: clockToleranceSeconds })
    const listVc = (payload.vc ?? payload) as { credentialSubject?: { encodedList?: string } }
    const encoded = listVc.credentialSubject?.encodedList
    if (!encoded) throw new HandshakeRejected(`${label}: status list ${statusListCredential} has no encodedList`)
    const bits = gunzipSync(Buffer.from(encoded.replace(/^u/, ''), 'base64url'))
    const index = Number(statusListIndex)
    // Bit 0 is the most significant bit of the first byte (StatusList2021 and Bitstring Status List).
    if ((bits[index >> 3]! & (0x80 >> (index & 7))) !== 0) {
      throw new HandshakeRejected(`${label} is ${statusPurpose === 'suspension' ? 'suspended' : 'revoked'} (bit ${index} of ${statusListCredential})`)
    }
  }

  /** Calls a BPN directory as a Tractus-X connector does, with a membership presentation as bearer. */
  async bpnDirectory(url: string, presentation: string): Promise<Record<string, string>> {
    const response = await fetch(url, { headers: { authorization: `Bearer ${presentation}`, 'accept-encoding': 'gzip' } })
    if (!response.ok) throw new HandshakeRejected(`BPN directory returned ${response.status}`)
    // fetch decodes a gzip Content-Encoding by itself; the header still shows what was sent.
    if (response.headers.get('content-encoding') !== 'gzip') throw new HandshakeRejected('BPN directory response is not gzip-encoded, which Tractus-X connectors require')
    return (await response.json()) as Record<string, string>
  }
}
