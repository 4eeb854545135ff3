/**
 * Scope strings of presentation queries and access tokens: `alias:discriminator[:operation]`.
 * DCP 1.0 defines the first two aliases and read-only access; DCP 0.8 and Tractus-X add a third
 * segment (`read`, `write`, `all`) that the official TCK still sends.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#scopes
 */
export interface Scope {
  /** The scope string as it was sent. */
  raw: string
  alias: string
  /** Credential property the discriminator selects by: type or id. */
  kind: 'type' | 'id'
  /** A credential type such as `MembershipCredential`, or a credential id. */
  discriminator: string
  operation: 'read' | 'write' | 'all'
}

const aliasKinds = new Map<string, Scope['kind']>([
  ['org.eclipse.dspace.dcp.vc.type', 'type'],
  ['org.eclipse.dspace.dcp.vc.id', 'id'],
  ['org.eclipse.edc.vc.type', 'type'],
  ['org.eclipse.tractusx.vc.type', 'type'],
  ['org.eclipse.tractusx.vc.id', 'id'],
])

const operations = new Set(['read', 'write', 'all'])

/**
 * Parses one scope string, or returns undefined for an unknown alias or a malformed string. A
 * caller drops such a scope instead of failing the query, as it drops scopes beyond the grant.
 */
export function parseScope(raw: string): Scope | undefined {
  const first = raw.indexOf(':')
  if (first <= 0) return undefined
  const alias = raw.slice(0, first)
  const kind = aliasKinds.get(alias)
  if (!kind) return undefined

  let discriminator = raw.slice(first + 1)
  let operation: Scope['operation'] = 'read'
  const last = discriminator.lastIndexOf(':')
  // Credential ids may themselves contain colons (urn:uuid:...), so only a known operation
  // word after the last colon is taken as the operation.
  if (last >= 0 && operations.has(discriminator.slice(last + 1))) {
    operation = discriminator.slice(last + 1) as Scope['operation']
    discriminator = discriminator.slice(0, last)
  }
  if (discriminator === '' || /\s|^:|:$/.test(discriminator)) return undefined
  return { raw, alias, kind, discriminator, operation }
}

/** Splits the space-separated `bearer_access_scope` of an STS request. */
export function splitScopeList(list: string | undefined): string[] {
  return (list ?? '').split(/\s+/).filter((scope) => scope !== '')
}

/** Identifies the credentials a scope grants, independent of alias and operation. */
export function grantKey(scope: Pick<Scope, 'kind' | 'discriminator'>): string {
  return `${scope.kind}:${scope.discriminator}`
}
