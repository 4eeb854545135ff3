import type { SeedDocument } from '../seed/seed-schema.js'

/** One company of the demo data space, with the Business Partner Number its credentials carry. */
export interface DemoCompany {
  id: string
  name: string
  did: string
  bpn: string
}

/** The authority and the two companies of the demo, all hosted by one service on localhost. */
export interface DemoDataSpace {
  origin: string
  /** did:web host part, with the port's colon percent-encoded as did:web requires. */
  didHost: string
  authority: { id: string; did: string; bpn: string }
  companyX: DemoCompany
  companyY: DemoCompany
}

/** Tractus-X credential types the authority issues and a connector requests in its scopes. */
export const tractusXCredentialTypes = ['MembershipCredential', 'BpnCredential', 'DataExchangeGovernanceCredential'] as const

export function demoDataSpace(port: number): DemoDataSpace {
  const didHost = `localhost%3A${port}`
  const did = (id: string) => `did:web:${didHost}:${id}`
  return {
    origin: `http://localhost:${port}`,
    didHost,
    authority: { id: 'authority', did: did('authority'), bpn: 'BPNL000000000000' },
    companyX: { id: 'companyx', name: 'Company X', did: did('companyx'), bpn: 'BPNL00000000000X' },
    companyY: { id: 'companyy', name: 'Company Y', did: did('companyy'), bpn: 'BPNL00000000000Y' },
  }
}

/**
 * Builds the declarative seed of the demo. The authority issues the Tractus-X credentials to a
 * registry of both companies. Each company trusts the authority and has an STS client whose secret
 * is in a file, as a mounted Kubernetes Secret would be.
 */
export function demoSeed(space: DemoDataSpace, secretFiles: Record<string, string>): SeedDocument {
  const company = (c: DemoCompany) => ({
    id: c.id,
    did: c.did,
    displayName: c.name,
    roles: ['holder' as const],
    sts: { clientSecretFile: secretFiles[c.id]! },
    trustedIssuers: [space.authority.did],
  })
  return {
    participants: [
      {
        id: space.authority.id,
        did: space.authority.did,
        displayName: 'Data space authority',
        roles: ['issuer'],
        credentialDefinitions: ['tractus-x'],
        holders: [space.companyX, space.companyY].map((c) => ({ did: c.did, name: c.name, attributes: { bpn: c.bpn } })),
      },
      company(space.companyX),
      company(space.companyY),
    ],
  }
}
