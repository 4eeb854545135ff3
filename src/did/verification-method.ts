import { parse, type DIDDocument, type VerificationMethod } from 'did-resolver'
import type { JWK } from 'jose'
import { importJwsPublicKey, type JwsPublicKey } from '../keys/jws-public-key.js'
import { verificationRelationships } from './did-document-check.js'
import { DidError, quoteRemote } from './did-error.js'

/**
 * The relationships that DCP checks: `capabilityInvocation` for SI tokens, `authentication` for
 * presentations, `assertionMethod` for credentials.
 * @see https://www.w3.org/TR/did-core/#verification-relationships
 */
export type VerificationPurpose = 'capabilityInvocation' | 'authentication' | 'assertionMethod'

/** The relationship each signed DCP artifact needs from the key that signed it. */
export const purposeOf = {
  siToken: 'capabilityInvocation',
  presentation: 'authentication',
  credential: 'assertionMethod',
} as const satisfies Record<string, VerificationPurpose>

/**
 * Rule that decides which verification methods may sign for a purpose. `strict`: the method must
 * be referenced or embedded by the relationship of the purpose. `any-listed`: as strict, except
 * that a document without that relationship property lets any method of its `verificationMethod`
 * list sign, because documents made before DCP 1.0 do not list `capabilityInvocation`.
 */
export type KeyRelationshipPolicy = 'strict' | 'any-listed'

/** JWK members that only private or symmetric keys have (RFC 7518, sections 6.2.2, 6.3.2 and 6.4). */
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const

/**
 * Selects the verification method of a signature by the DCP `kid` rules, then checks that the
 * relationship of its purpose references it, as `policy` demands. Throws
 * `ERR_DID_KEY_NOT_FOUND`, `ERR_DID_KEY_AMBIGUOUS` or `ERR_DID_KEY_RELATIONSHIP`.
 */
export function selectVerificationMethod(
  document: DIDDocument,
  kid: string | undefined,
  purpose: VerificationPurpose,
  policy: KeyRelationshipPolicy = 'strict',
): VerificationMethod {
  const method = findVerificationMethod(document, kid)
  checkRelationship(document, method, purpose, policy)
  return method
}

/**
 * Finds a verification method by `kid`, either an absolute DID URL (`did#key-1`) of the document's
 * DID or a fragment (`#key-1`), among the document's methods, which may be listed with absolute
 * or relative ids and may be embedded in relationships. Without a `kid` the only method is
 * chosen; several methods make the choice ambiguous.
 */
export function findVerificationMethod(document: DIDDocument, kid: string | undefined): VerificationMethod {
  const methods = methodsOf(document)
  if (kid === undefined) return onlyMethod(document, methods)

  const expectedId = absoluteKid(document, kid)
  const method = methods.find((candidate) => absoluteId(document, candidate.id) === expectedId)
  if (method === undefined) {
    throw new DidError(
      'ERR_DID_KEY_NOT_FOUND',
      `DID document of ${quoteRemote(document.id)} has no verification method ${quoteRemote(kid)}`,
    )
  }
  return method
}

/**
 * Throws `ERR_DID_KEY_RELATIONSHIP` unless the relationship references or embeds the method. With
 * `any-listed`, a document that lacks the relationship property instead needs the method in its
 * `verificationMethod` list. An empty relationship list still admits no method.
 */
export function checkRelationship(
  document: DIDDocument,
  method: VerificationMethod,
  purpose: VerificationPurpose,
  policy: KeyRelationshipPolicy = 'strict',
): void {
  const id = absoluteId(document, method.id)
  const entries = document[purpose]
  if (entries === undefined && policy === 'any-listed') {
    const listed = (document.verificationMethod ?? []).some((candidate) => absoluteId(document, candidate.id) === id)
    if (listed) return
  }
  const referenced = (entries ?? []).some((entry) => absoluteId(document, typeof entry === 'string' ? entry : entry.id) === id)
  if (!referenced) {
    throw new DidError(
      'ERR_DID_KEY_RELATIONSHIP',
      `verification method ${quoteRemote(method.id)} is not in "${purpose}" of ${quoteRemote(document.id)}`,
    )
  }
}

/**
 * Imports the `publicKeyJwk` of a method to verify signatures of algorithm `alg`, the `alg` of the
 * JWS header. Throws `ERR_DID_KEY_INVALID` when the JWK is missing, carries private or symmetric
 * key parts, is marked for another use or algorithm, or does not fit `alg`.
 */
export function importVerificationKey(method: VerificationMethod, alg: string): JwsPublicKey {
  const jwk = checkPublicJwk(method, alg)
  try {
    return importJwsPublicKey(jwk as Record<string, unknown>, alg)
  } catch (error) {
    throw keyInvalid(method, `cannot be imported for ${quoteRemote(alg)} (${(error as Error).message})`, error)
  }
}

function checkPublicJwk(method: VerificationMethod, alg: string): JWK {
  const jwk: unknown = method.publicKeyJwk
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw keyInvalid(method, 'is missing')
  const members = jwk as Record<string, unknown>

  if (privateMembers.some((member) => member in members)) throw keyInvalid(method, 'carries private key parts')
  if (members.use !== undefined && members.use !== 'sig') {
    throw keyInvalid(method, `has "use" ${quoteRemote(String(members.use))}; expected "sig"`)
  }
  if (members.key_ops !== undefined && !(Array.isArray(members.key_ops) && members.key_ops.includes('verify'))) {
    throw keyInvalid(method, 'has "key_ops" without "verify"')
  }
  if (members.alg !== undefined && members.alg !== alg) {
    throw keyInvalid(method, `is for alg ${quoteRemote(String(members.alg))}, not ${quoteRemote(alg)}`)
  }
  return members as JWK
}

/** Every method of the document once, in document order: listed ones, then embedded ones. */
function methodsOf(document: DIDDocument): VerificationMethod[] {
  const embedded = verificationRelationships.flatMap((relationship) =>
    (document[relationship] ?? []).filter((entry): entry is VerificationMethod => typeof entry !== 'string'),
  )
  const unique = new Map<string, VerificationMethod>()
  for (const method of [...(document.verificationMethod ?? []), ...embedded]) {
    const id = absoluteId(document, method.id)
    if (!unique.has(id)) unique.set(id, method)
  }
  return [...unique.values()]
}

function onlyMethod(document: DIDDocument, methods: VerificationMethod[]): VerificationMethod {
  const [first] = methods
  if (first === undefined) {
    throw new DidError(
      'ERR_DID_KEY_NOT_FOUND',
      `DID document of ${quoteRemote(document.id)} has no verification method`,
    )
  }
  if (methods.length > 1) {
    throw new DidError(
      'ERR_DID_KEY_AMBIGUOUS',
      `"kid" is missing and the DID document of ${quoteRemote(document.id)} has ${methods.length} verification methods`,
    )
  }
  return first
}

/** Returns the absolute form of a kid, after checking that it names a key of this document. */
function absoluteKid(document: DIDDocument, kid: string): string {
  if (kid.startsWith('#')) return `${document.id}${kid}`
  const parsed = parse(kid)
  if (parsed === null || parsed.fragment === undefined) {
    throw new DidError(
      'ERR_DID_KEY_NOT_FOUND',
      `"kid" ${quoteRemote(kid)} is neither a DID URL with a fragment nor a fragment`,
    )
  }
  if (parsed.did !== document.id) {
    throw new DidError('ERR_DID_KEY_NOT_FOUND', `"kid" ${quoteRemote(kid)} is not a key of ${quoteRemote(document.id)}`)
  }
  return kid
}

/** Resolves a relative method id (`#key-1`) against the document id, as DID Core does. */
function absoluteId(document: DIDDocument, id: string): string {
  return id.startsWith('#') ? `${document.id}${id}` : id
}

function keyInvalid(method: VerificationMethod, reason: string, cause?: unknown): DidError {
  return new DidError(
    'ERR_DID_KEY_INVALID',
    `publicKeyJwk of verification method ${quoteRemote(method.id)} ${reason}`,
    cause === undefined ? undefined : { cause },
  )
}
