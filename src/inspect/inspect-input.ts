import { decodeJwt, decodeProtectedHeader } from 'jose'
import { didOfDocumentUrl } from './document-url-did.js'
import type { InspectContext } from './inspect-context.js'
import { inspectCredential } from './inspect-credential.js'
import { inspectDidDocument } from './inspect-did-document.js'
import { inspectPresentation } from './inspect-presentation.js'
import { inspectStatusList } from './inspect-status-list.js'
import { inspectAccessToken, inspectSelfIssuedToken } from './inspect-token.js'
import { CheckList, type InspectedKind, type Inspection } from './inspection.js'

/**
 * Tells what an input is: a DID, a URL of a DID document (a path ending in `did.json`) or of a
 * status list credential (any other URL), or a JWT. A JWT with a `vp` claim is a presentation,
 * and one with a `vc` claim or a VerifiableCredential `type` is a credential. A JWT addressed to
 * its own issuer with a `scope` is an access token, and any other JWT an SI token.
 */
export function classifyInput(input: string): InspectedKind {
  if (input.startsWith('did:')) return 'did-document'
  if (/^https?:\/\//i.test(input)) {
    if (!URL.canParse(input)) return 'unknown'
    return new URL(input).pathname.endsWith('/did.json') ? 'did-document' : 'status-list'
  }
  let header: Record<string, unknown>
  let payload: Record<string, unknown>
  try {
    header = decodeProtectedHeader(input) as Record<string, unknown>
    payload = decodeJwt(input) as Record<string, unknown>
  } catch {
    return 'unknown'
  }
  const types = Array.isArray(payload.type) ? payload.type : [payload.type]
  if (payload.vp !== undefined || types.includes('VerifiablePresentation') || header.typ === 'vp+jwt') return 'presentation'
  if (payload.vc !== undefined || types.includes('VerifiableCredential') || header.typ === 'vc+jwt') return 'credential'
  if (typeof payload.iss === 'string' && payload.iss === payload.aud && typeof payload.scope === 'string') return 'access-token'
  return 'self-issued-token'
}

/** Inspects a JWT, DID or URL with the checks of its kind. */
export async function inspectInput(input: string, context: InspectContext): Promise<Inspection> {
  const trimmed = input.trim()
  const kind = classifyInput(trimmed)
  switch (kind) {
    case 'did-document':
      return inspectDidDocument(trimmed.startsWith('did:') ? trimmed : didOfDocumentUrl(new URL(trimmed)), context)
    case 'status-list':
      return inspectStatusList(trimmed, context)
    case 'presentation':
      return inspectPresentation(trimmed, context)
    case 'credential':
      return inspectCredential(trimmed, context)
    case 'access-token':
      // A bare access token has no SI token around it, so the DID it is bound to stays unchecked.
      return inspectAccessToken(trimmed, context, undefined)
    case 'self-issued-token':
      return inspectSelfIssuedToken(trimmed, context)
    case 'unknown': {
      const list = new CheckList()
      list.fail('input', 'the input is neither a DID, an http(s) URL nor a compact JWS (header.payload.signature)')
      return list.toInspection('unknown', {})
    }
  }
}
