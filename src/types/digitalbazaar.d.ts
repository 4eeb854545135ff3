// Declarations for the parts of the Digital Bazaar JSON-LD libraries that this service calls;
// the packages ship JavaScript without types.

declare module '@digitalbazaar/data-integrity' {
  export interface DataIntegritySigner {
    id: string
    algorithm: string
    sign(input: { data: Uint8Array }): Promise<Uint8Array>
  }
  export class DataIntegrityProof {
    constructor(options: { signer?: DataIntegritySigner; cryptosuite: unknown; date?: Date | string })
    verificationMethod?: string
  }
}

declare module '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite' {
  export const cryptosuite: unknown
}

declare module '@digitalbazaar/vc' {
  type Loader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>
  export interface VerificationResult {
    verified: boolean
    error?: Error & { errors?: Error[] }
    results?: Array<{ verified: boolean; error?: Error }>
    statusResult?: unknown
  }
  export function issue(options: { credential: object; suite: unknown; documentLoader: Loader; now?: Date }): Promise<Record<string, unknown>>
  export function signPresentation(options: {
    presentation: object
    suite: unknown
    documentLoader: Loader
    challenge: string
    domain?: string
  }): Promise<Record<string, unknown>>
  export function verifyCredential(options: {
    credential: object
    suite: unknown
    documentLoader: Loader
    now?: Date
    maxClockSkew?: number
    checkStatus?: (options: { credential: Record<string, unknown> }) => Promise<{ verified: boolean }>
  }): Promise<VerificationResult>
  export function verify(options: {
    presentation: object
    suite: unknown
    documentLoader: Loader
    challenge: string
    domain?: string
    checkStatus?: (options: { credential: Record<string, unknown> }) => Promise<{ verified: boolean }>
  }): Promise<VerificationResult>
}

declare module '@digitalbazaar/vc-bitstring-status-list' {
  export function checkStatus(options: {
    credential: object
    documentLoader: (url: string) => Promise<{ document: unknown }>
    suite: unknown
    verifyBitstringStatusListCredential?: boolean
    verifyMatchingIssuers?: boolean
  }): Promise<{ verified: boolean; error?: Error; results?: Array<{ status: boolean; verified: boolean }> }>
}
