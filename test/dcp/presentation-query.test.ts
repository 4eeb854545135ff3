import t from 'tap'
import { Value } from 'typebox/value'
import { AppError } from '../../src/errors/app-error.js'
import {
  interpretPresentationQuery,
  PresentationQueryMessageBody,
  type PresentationQueryMessageBody as Body,
} from '../../src/dcp/presentation-query.js'
import { readSpecJson } from '../helpers/dcp-spec.js'

function failure(body: Body): AppError {
  try {
    interpretPresentationQuery(body)
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected the query to be refused')
}

const v1 = ['https://w3id.org/dspace-dcp/v1.0/dcp.jsonld']

t.test('presentation/example/presentation-query-message.json is valid', async (t) => {
  const example = readSpecJson<Body>('v1.0.1/presentation/example/presentation-query-message.json')
  t.ok(Value.Check(PresentationQueryMessageBody, example))
  const query = interpretPresentationQuery(example)
  t.equal(query.version, '1.0')
  t.same(query.scopes, [])
  t.same(query.unknownScopes, ['presentation1', 'presentation2'])
})

t.test('example with a presentation definition is answered 501', async (t) => {
  const example = readSpecJson<Body>('v1.0.1/presentation/example/presentation-query-message-w-presentation-definition.json')
  t.ok(Value.Check(PresentationQueryMessageBody, example))
  const error = failure(example)
  t.equal(error.code, 'ERR_DCP_PRESENTATION_DEFINITION_UNSUPPORTED')
  t.equal(error.statusCode, 501)
})

t.test('Tractus-X query with @type and DCP 0.8 context', async (t) => {
  const body = {
    '@context': ['https://identity.foundation/presentation-exchange/submission/v1', 'https://w3id.org/tractusx-trust/v0.8'],
    '@type': 'PresentationQueryMessage',
    scope: [
      'org.eclipse.tractusx.vc.type:MembershipCredential:read',
      'org.eclipse.tractusx.vc.type:BpnCredential:read',
      'org.eclipse.tractusx.vc.type:DataExchangeGovernanceCredential:read',
    ],
  } as const
  t.ok(Value.Check(PresentationQueryMessageBody, body))
  const query = interpretPresentationQuery(body as unknown as Body)
  t.equal(query.version, '0.8')
  t.same(
    query.scopes.map((scope) => scope.discriminator),
    ['MembershipCredential', 'BpnCredential', 'DataExchangeGovernanceCredential'],
  )
})

t.test('both scope and presentation definition is 400', async (t) => {
  const error = failure({ '@context': v1, type: 'PresentationQueryMessage', scope: ['a:b'], presentationDefinition: { id: 'x' } })
  t.equal(error.code, 'ERR_DCP_QUERY_AMBIGUOUS')
  t.equal(error.statusCode, 400)
  t.equal(error.message, 'the query has both "scope" and "presentationDefinition"; send one')
})

t.test('empty presentation definition is 400, not 501', async (t) => {
  const error = failure({ '@context': v1, type: 'PresentationQueryMessage', presentationDefinition: {} })
  t.equal(error.code, 'ERR_DCP_PRESENTATION_DEFINITION_INVALID')
  t.equal(error.statusCode, 400)
})

t.test('schema refuses null definition and empty scope', async (t) => {
  t.notOk(Value.Check(PresentationQueryMessageBody, { '@context': v1, type: 'PresentationQueryMessage', presentationDefinition: null }))
  t.notOk(Value.Check(PresentationQueryMessageBody, { '@context': v1, type: 'PresentationQueryMessage', scope: [] }))
  t.notOk(Value.Check(PresentationQueryMessageBody, { '@context': v1, type: 'PresentationResponseMessage', scope: ['a'] }))
})

t.test('neither scope nor definition is 400', async (t) => {
  const error = failure({ '@context': v1, type: 'PresentationQueryMessage' })
  t.equal(error.code, 'ERR_DCP_MESSAGE_INVALID')
  t.equal(error.message, 'the query needs "scope" or "presentationDefinition"')
})

t.test('context without the DCP URL is 400', async (t) => {
  const error = failure({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'PresentationQueryMessage', scope: ['a'] })
  t.equal(error.code, 'ERR_DCP_MESSAGE_INVALID')
  t.equal(
    error.message,
    '"@context" must contain "https://w3id.org/dspace-dcp/v1.0/dcp.jsonld" or "https://w3id.org/tractusx-trust/v0.8"',
  )
})

t.test('missing type is 400', async (t) => {
  const error = failure({ '@context': v1, scope: ['a'] })
  t.equal(error.code, 'ERR_DCP_MESSAGE_INVALID')
  t.equal(error.message, 'missing "type": expected "PresentationQueryMessage"')
})
