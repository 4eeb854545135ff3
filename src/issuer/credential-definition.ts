import type { CredentialProfile } from '../credentials/credential-format.js'

/** Source of one `credentialSubject` property: a holder attribute or a fixed value. */
export type ClaimMapping = { attribute: string } | { value: unknown }

export type ApprovalMode = 'auto' | 'manual'

/**
 * A credential the issuer offers: one `CredentialObject` of its metadata, and the rules that
 * build the credential for a holder.
 */
export interface CredentialDefinition {
  /** `id` of the CredentialObject that holders request. */
  id: string
  credentialType: string
  profile: CredentialProfile
  validitySeconds: number
  /** `credentialSubject` properties besides `id`, by property name. */
  claims: Record<string, ClaimMapping>
  /** JSON Schema the built `credentialSubject` must match before signing. */
  subjectSchema: Record<string, unknown> | null
  /** JSON-LD contexts added after the data model context. */
  contexts: string[]
  approval: ApprovalMode
  /** Whether issued credentials also get a suspension status entry, so they can be suspended. */
  suspendable: boolean
  createdAt: Date
}

export type NewCredentialDefinition = Omit<CredentialDefinition, 'createdAt'>

/** Catena-X credentials context, whose terms the Tractus-X credential subjects use. */
export const catenaXContext = 'https://w3id.org/catenax/credentials/v1.0.0'

const oneYearSeconds = 365 * 86_400

/**
 * Returns the Tractus-X credentials that connectors request, shaped as the Catena-X profile
 * defines them. Each reads the holder's BPN from the attribute `bpn`.
 */
export function tractusXDefinitions(): NewCredentialDefinition[] {
  const common: Omit<NewCredentialDefinition, 'id' | 'credentialType' | 'claims'> = {
    profile: 'vc11-sl2021/jwt',
    validitySeconds: oneYearSeconds,
    subjectSchema: null,
    contexts: [catenaXContext],
    approval: 'auto',
    suspendable: false,
  }
  return [
    {
      ...common,
      id: 'membership-credential',
      credentialType: 'MembershipCredential',
      claims: { holderIdentifier: { attribute: 'bpn' }, memberOf: { value: 'Catena-X' } },
    },
    { ...common, id: 'bpn-credential', credentialType: 'BpnCredential', claims: { bpn: { attribute: 'bpn' } } },
    {
      ...common,
      id: 'data-exchange-governance-credential',
      credentialType: 'DataExchangeGovernanceCredential',
      claims: {
        holderIdentifier: { attribute: 'bpn' },
        group: { value: 'UseCaseFramework' },
        useCase: { value: 'DataExchangeGovernance' },
        contractTemplate: { value: 'https://catena-x.net/en/catena-x-introduce-implement/governance-framework-for-data-space-operations' },
        // Connectors compare FrameworkAgreement with "DataExchangeGovernance:1.0", so this must be "1.0".
        contractVersion: { value: '1.0' },
      },
    },
  ]
}
