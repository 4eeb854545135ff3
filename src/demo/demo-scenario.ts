import { decodeJwt } from 'jose'
import type { DcpVersion } from '../dcp/context.js'
import { DemoConnector, type AcceptedCredential } from './demo-connector.js'
import { tractusXCredentialTypes, type DemoCompany, type DemoDataSpace } from './demo-data-space.js'
import { DemoDidClient } from './demo-did-client.js'
import type { DemoReport } from './demo-report.js'
import { HandshakeRejected } from './handshake-rejected.js'

/** Endpoint and secrets of the running service that the scenario uses. */
export interface DemoService {
  internalUrl: string
  adminToken: string
  clientSecrets: Record<string, string>
}

export interface DemoScenarioOptions {
  space: DemoDataSpace
  service: DemoService
  report: DemoReport
  /** Issuers the demo's connectors trust; the authority unless changed. */
  trustedIssuers: readonly string[]
  /** Maximum wait for an issuer's delivery. */
  deliveryTimeoutMs?: number
}

/** Scopes a Tractus-X connector requests before a catalog request or a negotiation. */
const tractusXScopes = tractusXCredentialTypes.map((type) => `org.eclipse.tractusx.vc.type:${type}:read`)
const membershipScope = 'org.eclipse.tractusx.vc.type:MembershipCredential:read'

interface CredentialRequestRecord {
  id: string
  holderPid: string
  state: string
  lastError?: string | null
}

/**
 * Runs the demo's steps. Both companies obtain their credentials from the authority over DCP, and
 * their connectors authenticate each other in both directions (DCP 1.0 and 0.8). A connector then
 * obtains its BPN directory presentation. After the authority revokes one membership, the next
 * handshake must be rejected.
 */
export async function runDemoScenario(options: DemoScenarioOptions): Promise<void> {
  const { space, service, report } = options
  const dids = new DemoDidClient(space.origin, space.didHost)
  const admin = adminClient(service)
  const connectorOf = (company: DemoCompany) =>
    new DemoConnector({
      did: company.did,
      stsUrl: `${service.internalUrl}/sts/token`,
      clientId: company.did,
      clientSecret: service.clientSecrets[company.id]!,
      dids,
      trustedIssuers: options.trustedIssuers,
    })
  const x = connectorOf(space.companyX)
  const y = connectorOf(space.companyY)

  await report.step('The seed created the authority, Company X and Company Y', async () => {
    const lines: string[] = []
    for (const party of [space.authority, space.companyX, space.companyY]) {
      const document = await dids.resolve(party.did)
      const services = (document.service ?? []).map((entry) => entry.type).join(', ')
      lines.push(`${party.did}: ${document.verificationMethod?.length ?? 0} key(s), services ${services || 'none'}`)
    }
    const issuerService = await dids.serviceEndpoint(space.authority.did, 'IssuerService')
    const metadata = (await (await fetch(`${issuerService}/metadata`)).json()) as { credentialsSupported?: { credentialType?: string }[] }
    const offered = (metadata.credentialsSupported ?? []).map((entry) => entry.credentialType).join(', ')
    lines.push(`the authority issues ${offered || 'nothing'}`)
    return lines.join('\n')
  })

  for (const company of [space.companyX, space.companyY]) {
    await report.step(`${company.name} requests its credentials from the authority over DCP`, async () => {
      const started = Date.now()
      const created = await admin<CredentialRequestRecord>('POST', `/v1/participants/${company.id}/credential-requests`, {
        issuerDid: space.authority.did,
        credentialTypes: [...tractusXCredentialTypes],
      })
      const done = await waitForRequest(admin, company.id, created.id, options.deliveryTimeoutMs ?? 20_000)
      if (done.state !== 'issued') throw new Error(`request ${done.holderPid} ended ${done.state}${done.lastError ? `: ${done.lastError}` : ''}`)
      const stored = await admin<{ items: { types: string[]; state: string }[] }>('GET', `/v1/participants/${company.id}/credentials`)
      const types = stored.items.filter((item) => item.state === 'issued').flatMap((item) => item.types.filter((type) => type !== 'VerifiableCredential'))
      return `request ${done.holderPid} delivered in ${((Date.now() - started) / 1000).toFixed(1)} s; the wallet holds ${types.join(', ')}`
    })
  }

  const accepted = await report.step("Company Y's connector authenticates to Company X (DCP 1.0, three Tractus-X scopes)", async () =>
    describeAccepted(await handshake(y, x, space.companyY, '1.0')),
  )
  await report.step("Company X's connector authenticates to Company Y (DCP 0.8)", async () =>
    describeAccepted(await handshake(x, y, space.companyX, '0.8')),
  )

  await report.step("Company X's connector obtains a membership presentation for the BPN directory", async () => {
    const token = await x.selfIssuedToken(x.did, { scopes: [membershipScope] })
    const { accessToken } = await x.verifySelfIssuedToken(token)
    const query = await x.selfIssuedToken(x.did, { token: accessToken })
    const { presentations } = await x.queryPresentations(x.did, query, [membershipScope], '1.0')
    const accepted = await x.verifyPresentations(presentations, x.did)
    if (!accepted.some((credential) => credential.types.includes('MembershipCredential'))) {
      throw new HandshakeRejected('the self-query returned no MembershipCredential')
    }
    const directoryBase = (await dids.serviceEndpoint(space.authority.did, 'IssuerService')).replace(/\/is$/, '')
    const directory = await x.bpnDirectory(`${directoryBase}/bpn-directory`, presentations[0]!)
    const missing = [space.companyX, space.companyY].filter((company) => directory[company.bpn] !== company.did)
    if (missing.length > 0) throw new Error(`BPN directory lacks ${missing.map((company) => company.bpn).join(', ')}`)
    return `self-addressed presentation accepted by the BPN directory; ${Object.keys(directory).length} entries, ${space.companyY.bpn} -> ${space.companyY.did}`
  })

  const revoked = await report.step("The authority revokes Company Y's membership", async () => {
    const path = `/v1/participants/${space.authority.id}/issuer/issued-credentials`
    const issued = await admin<{ items: { id: string; credentialType: string; status: string }[] }>(
      'GET',
      `${path}?holderDid=${encodeURIComponent(space.companyY.did)}`,
    )
    const membership = issued.items.find((item) => item.credentialType === 'MembershipCredential' && item.status === 'active')
    if (!membership) throw new Error(`no active MembershipCredential issued to ${space.companyY.did}`)
    const revoked = await admin<{ status: string }>('POST', `${path}/${membership.id}/revoke`)
    return `MembershipCredential ${membership.id} is now ${revoked.status}`
  })

  await report.step("Company Y's next handshake with Company X is rejected", async () => {
    // A rejection proves the revocation only when the same handshake passed before it.
    if (!accepted || !revoked) throw new Error('not run: the handshake before the revocation, or the revocation, failed')
    try {
      await handshake(y, x, space.companyY, '1.0')
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      if (!(error instanceof HandshakeRejected) || !/revoked|no valid MembershipCredential/.test(reason)) throw error
      return `rejected as expected: ${reason}`
    }
    throw new Error('the handshake succeeded although the membership is revoked')
  })
}

/**
 * Plays one connector handshake, as before a DSP catalog request. The consumer requests an SI
 * token with scopes from its STS and sends it. The provider verifies it, requests a token that
 * carries the consumer's access token from its own STS, queries the consumer's Credential Service
 * and verifies the presentations. A provider policy requiring membership then decides.
 */
async function handshake(consumer: DemoConnector, provider: DemoConnector, company: DemoCompany, version: DcpVersion): Promise<AcceptedCredential[]> {
  const consumerToken = await consumer.selfIssuedToken(provider.did, { scopes: tractusXScopes })
  const { sender, accessToken } = await provider.verifySelfIssuedToken(consumerToken)
  const providerToken = await provider.selfIssuedToken(sender, { token: accessToken })
  if (decodeJwt(providerToken).token !== accessToken) throw new HandshakeRejected("the provider's STS altered the access token it was asked to pass on")
  const { presentations } = await provider.queryPresentations(sender, providerToken, tractusXScopes, version)
  const accepted = await provider.verifyPresentations(presentations, sender)
  const membership = accepted.find((credential) => credential.types.includes('MembershipCredential'))
  if (!membership) throw new HandshakeRejected(`no valid MembershipCredential presented by ${company.name}; the provider's policy requires membership`)
  if (membership.subject.holderIdentifier !== company.bpn) {
    throw new HandshakeRejected(`MembershipCredential names ${String(membership.subject.holderIdentifier)}, not ${company.bpn}`)
  }
  return accepted
}

function describeAccepted(accepted: AcceptedCredential[]): string {
  const types = accepted.map((credential) => credential.types.filter((type) => type !== 'VerifiableCredential').join('+'))
  return `SI token, presentation and ${accepted.length} credentials verified (${types.join(', ')}): issuer trusted, subject is the holder, dates valid, not revoked`
}

type Admin = <T>(method: string, path: string, body?: unknown) => Promise<T>

function adminClient(service: DemoService): Admin {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${service.internalUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${service.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    // Error bodies of the admin API are {error, message}.
    const result = (await response.json()) as T & { error?: string; message?: string }
    if (!response.ok) throw new Error(`${method} ${path} returned ${response.status}: ${result.error ?? ''} ${result.message ?? ''}`.trim())
    return result
  }
}

async function waitForRequest(admin: Admin, participantId: string, requestId: string, timeoutMs: number): Promise<CredentialRequestRecord> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const request = await admin<CredentialRequestRecord>('GET', `/v1/participants/${participantId}/credential-requests/${requestId}`)
    if (request.state === 'issued' || request.state === 'rejected' || request.state === 'error') return request
    if (Date.now() > deadline) throw new Error(`request ${request.holderPid} still ${request.state} after ${timeoutMs / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
