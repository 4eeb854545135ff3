import { grantKey, type Scope } from '../dcp/scope.js'
import type { StoredCredential } from '../storage/credential-repository.js'

/**
 * Keeps the requested scopes that the access token grants for reading. Scopes beyond the grant
 * are dropped, never refused and never escalated.
 */
export function grantedScopes(requested: readonly Scope[], granted: readonly Scope[]): Scope[] {
  const readable = new Set(granted.filter((scope) => scope.operation !== 'write').map(grantKey))
  return requested.filter((scope) => readable.has(grantKey(scope)))
}

/**
 * Selects one credential per scope: the newest of the requested type, or the one with the
 * requested id. `credentials` must be ordered newest first; a credential serving two scopes is
 * returned once.
 */
export function selectCredentials(scopes: readonly Scope[], credentials: readonly StoredCredential[]): StoredCredential[] {
  const selected = new Map<string, StoredCredential>()
  for (const scope of scopes) {
    const match = credentials.find((credential) =>
      scope.kind === 'type' ? credential.types.includes(scope.discriminator) : credential.credentialId === scope.discriminator,
    )
    if (match) selected.set(match.id, match)
  }
  return [...selected.values()]
}
