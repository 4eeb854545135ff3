import * as parse from './parsers.js'
import { variable, type SectionReader } from './variable.js'

/** Scope aliases whose scopes select credentials by type, for rebuilding scopes from DIM credential types. */
const typeScopeAliases = ['org.eclipse.tractusx.vc.type', 'org.eclipse.dspace.dcp.vc.type', 'org.eclipse.edc.vc.type'] as const

/** Variables of the DIM-compatible STS facade for Tractus-X connectors configured with a DIM URL. */
export const dimVariables = {
  DIM_FACADE_ENABLED: variable({
    parse: parse.boolean,
    default: false,
    unit: 'boolean',
    description:
      'Serve the DIM-compatible STS on the internal listener: POST /dim/oauth/token for the bearer token and POST /dim/sts for grantAccess and signToken requests, as the Tractus-X connector sends them when its DIM URL is set.',
  }),
  DIM_FACADE_TOKEN_TTL_SECONDS: variable({
    parse: parse.integer(10, 86_400),
    default: 300,
    unit: 'seconds',
    description: 'Lifetime of the bearer tokens that POST /dim/oauth/token issues for the DIM STS.',
  }),
  DIM_FACADE_SCOPE_ALIAS: variable({
    parse: parse.oneOf(typeScopeAliases),
    default: 'org.eclipse.tractusx.vc.type',
    unit: 'scope alias',
    description:
      'Alias of the scopes that a grantAccess request grants: each credential type T becomes ALIAS:T:read. The connector sends only the types, so the alias cannot be taken from the request.',
  }),
} as const

export interface DimConfig {
  enabled: boolean
  tokenTtlSeconds: number
  scopeAlias: string
}

export function readDimConfig(read: SectionReader<typeof dimVariables>): DimConfig {
  return {
    enabled: read('DIM_FACADE_ENABLED') ?? false,
    tokenTtlSeconds: read('DIM_FACADE_TOKEN_TTL_SECONDS') ?? 300,
    scopeAlias: read('DIM_FACADE_SCOPE_ALIAS') ?? 'org.eclipse.tractusx.vc.type',
  }
}
