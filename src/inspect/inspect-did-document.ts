import type { DIDDocument, Service } from 'did-resolver'
import { checkRelationship, findVerificationMethod, importVerificationKey } from '../did/verification-method.js'
import { AppError } from '../errors/app-error.js'
import type { InspectContext } from './inspect-context.js'
import { CheckList, type Inspection } from './inspection.js'

/** The relationship each DCP artifact needs, and what fails when it is empty. */
const requiredRelationships = [
  ['capabilityInvocation', 'Self-Issued ID tokens of this DID cannot be verified'],
  ['authentication', 'presentations of this DID cannot be verified'],
  ['assertionMethod', 'credentials issued by this DID cannot be verified'],
] as const

/** `alg` for a public JWK by its key type and curve; RSA keys are assumed to sign RS256. */
function algorithmOf(jwk: Record<string, unknown>): string | undefined {
  if (jwk.kty === 'EC') return ({ 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' } as Record<string, string>)[String(jwk.crv)]
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA'
  if (jwk.kty === 'RSA') return typeof jwk.alg === 'string' ? jwk.alg : 'RS256'
  return undefined
}

/**
 * Inspects the DID document of a did:web DID as a DCP peer reads it. The document must resolve
 * through the guarded fetch and pass the service's document checks. Every verification method
 * must carry a usable public JWK, and the three relationships DCP checks must reference methods
 * of the document. A `CredentialService` entry must tell verifiers where the wallet is.
 */
export async function inspectDidDocument(did: string, context: InspectContext): Promise<Inspection> {
  const list = new CheckList()
  const document = await list.run('DID resolves', () => context.resolver.resolveDocument(did), () => did)
  if (document === undefined) return list.toInspection('did-document', { did })

  const methods = document.verificationMethod ?? []
  if (methods.length === 0) list.fail('verification methods', 'the document has no "verificationMethod"')
  for (const method of methods) {
    const jwk = (method.publicKeyJwk ?? {}) as Record<string, unknown>
    const alg = algorithmOf(jwk)
    if (alg === undefined) {
      list.fail(`key ${method.id}`, `publicKeyJwk has kty ${JSON.stringify(jwk.kty)} and crv ${JSON.stringify(jwk.crv)}, which no accepted JWS algorithm uses`)
      continue
    }
    await list.run(`key ${method.id}`, () => importVerificationKey(method, alg), () => `${alg} public key`)
  }
  for (const [relationship, consequence] of requiredRelationships) {
    inspectRelationship(list, document, relationship, consequence)
  }
  inspectServices(list, document)
  return list.toInspection('did-document', { document })
}

function inspectRelationship(
  list: CheckList,
  document: DIDDocument,
  relationship: (typeof requiredRelationships)[number][0],
  consequence: string,
): void {
  const entries = document[relationship] ?? []
  if (entries.length === 0) {
    list.fail(relationship, `"${relationship}" is empty or missing, so ${consequence}`)
    return
  }
  const problems: string[] = []
  for (const entry of entries) {
    const id = typeof entry === 'string' ? entry : entry.id
    try {
      checkRelationship(document, findVerificationMethod(document, id), relationship)
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      problems.push(error.message)
    }
  }
  if (problems.length > 0) list.fail(relationship, problems.join('; '))
  else list.pass(relationship, `${entries.length} key${entries.length === 1 ? '' : 's'}`)
}

function inspectServices(list: CheckList, document: DIDDocument): void {
  const services: Service[] = document.service ?? []
  const credentialService = services.find((service) => service.type === 'CredentialService')
  if (credentialService === undefined) {
    list.fail('CredentialService', 'the document has no "CredentialService" entry, so verifiers cannot find the wallet of this DID (an issuer-only DID needs none)')
  } else if (typeof credentialService.serviceEndpoint !== 'string' || !isHttpUrl(credentialService.serviceEndpoint)) {
    list.fail('CredentialService', `"serviceEndpoint" ${JSON.stringify(credentialService.serviceEndpoint)} is not an http or https URL string`)
  } else {
    list.pass('CredentialService', credentialService.serviceEndpoint)
  }
  const issuerService = services.find((service) => service.type === 'IssuerService')
  if (issuerService !== undefined) list.note(`IssuerService: ${JSON.stringify(issuerService.serviceEndpoint)}`)
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}
