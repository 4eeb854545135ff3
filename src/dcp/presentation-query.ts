import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { AppError } from '../errors/app-error.js'
import { dcpContextV08, dcpContextV1, dcpVersionOf, type DcpVersion } from './context.js'
import { parseScope, type Scope } from './scope.js'

const maxScopes = 64

/**
 * Route schema of a `PresentationQueryMessage`. Tractus-X connectors send `@type` where DCP 1.0
 * writes `type`, so either is accepted; which of `scope` and `presentationDefinition` is present
 * is checked after the schema, so that each case gets its own status.
 * @see https://eclipse-dataspace-dcp.github.io/decentralized-claims-protocol/v1.0.1/#presentation-query-message
 */
export const PresentationQueryMessageBody = Type.Object({
  '@context': Type.Array(Type.String({ maxLength: 2048 }), { minItems: 1, maxItems: 16 }),
  type: Type.Optional(Type.Literal('PresentationQueryMessage')),
  '@type': Type.Optional(Type.Literal('PresentationQueryMessage')),
  scope: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { minItems: 1, maxItems: maxScopes })),
  presentationDefinition: Type.Optional(Type.Object({})),
})

export type PresentationQueryMessageBody = Static<typeof PresentationQueryMessageBody>

/**
 * The parts of a DIF Presentation Exchange 2.x presentation definition that every valid one has.
 * @see https://identity.foundation/presentation-exchange/spec/v2.1.1/#presentation-definition
 */
const PresentationDefinition = Type.Object({
  id: Type.String({ minLength: 1 }),
  input_descriptors: Type.Array(
    Type.Object({ id: Type.String({ minLength: 1 }), constraints: Type.Optional(Type.Object({})) }),
    { minItems: 1 },
  ),
})

/** A validated query: its DCP version and the scopes this service understands. */
export interface PresentationQuery {
  version: DcpVersion
  /** Scopes with a known alias; the others are dropped like any scope beyond the grant. */
  scopes: Scope[]
  /** Scope strings that were dropped because their alias or form is unknown. */
  unknownScopes: string[]
}

/** Applies the DCP rules that the schema cannot express, in the order the statuses require. */
export function interpretPresentationQuery(body: PresentationQueryMessageBody): PresentationQuery {
  const version = dcpVersionOf(body['@context'])
  if (!version) {
    throw new AppError(
      'ERR_DCP_MESSAGE_INVALID',
      `"@context" must contain "${dcpContextV1}" or "${dcpContextV08}"`,
    )
  }
  if (body.type === undefined && body['@type'] === undefined) {
    throw new AppError('ERR_DCP_MESSAGE_INVALID', 'missing "type": expected "PresentationQueryMessage"')
  }
  if (body.scope !== undefined && body.presentationDefinition !== undefined) {
    throw new AppError('ERR_DCP_QUERY_AMBIGUOUS', 'the query has both "scope" and "presentationDefinition"; send one')
  }
  if (body.presentationDefinition !== undefined) {
    if (!Value.Check(PresentationDefinition, body.presentationDefinition)) {
      throw new AppError(
        'ERR_DCP_PRESENTATION_DEFINITION_INVALID',
        '"presentationDefinition" is not a valid presentation definition: it needs "id" and "input_descriptors"',
      )
    }
    throw new AppError(
      'ERR_DCP_PRESENTATION_DEFINITION_UNSUPPORTED',
      'presentation definitions are not supported; query with "scope"',
    )
  }
  if (body.scope === undefined) {
    throw new AppError('ERR_DCP_MESSAGE_INVALID', 'the query needs "scope" or "presentationDefinition"')
  }
  const scopes: Scope[] = []
  const unknownScopes: string[] = []
  for (const raw of body.scope) {
    const scope = parseScope(raw)
    if (scope) scopes.push(scope)
    else unknownScopes.push(raw)
  }
  return { version, scopes, unknownScopes }
}
