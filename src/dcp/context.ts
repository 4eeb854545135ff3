/**
 * DCP JSON-LD context URLs. Messages are processed as plain JSON; the context only tells which
 * protocol version the peer speaks, and a response must carry the context of its query.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#json-ld-context
 */
export const dcpContextV1 = 'https://w3id.org/dspace-dcp/v1.0/dcp.jsonld'

/** Context of DCP 0.8 ("IATP"), spoken by Tractus-X connectors 0.9 and 0.10. */
export const dcpContextV08 = 'https://w3id.org/tractusx-trust/v0.8'

export type DcpVersion = '1.0' | '0.8'

const versionByContext = new Map<string, DcpVersion>([
  [dcpContextV1, '1.0'],
  [dcpContextV08, '0.8'],
  // Some peers write the 0.8 namespace IRI with its trailing slash.
  [`${dcpContextV08}/`, '0.8'],
])

/** Finds the DCP version named in a message's `@context`; undefined when none is there. */
export function dcpVersionOf(context: unknown): DcpVersion | undefined {
  const entries = Array.isArray(context) ? context : [context]
  for (const entry of entries) {
    if (typeof entry === 'string' && versionByContext.has(entry)) return versionByContext.get(entry)
  }
  return undefined
}

export function contextFor(version: DcpVersion): string {
  return version === '1.0' ? dcpContextV1 : dcpContextV08
}
