import t from 'tap'
import { grantKey, parseScope, splitScopeList } from '../../src/dcp/scope.js'

const parsed: Array<[string, { alias: string; kind: string; discriminator: string; operation: string }]> = [
  [
    'org.eclipse.dspace.dcp.vc.type:MembershipCredential',
    { alias: 'org.eclipse.dspace.dcp.vc.type', kind: 'type', discriminator: 'MembershipCredential', operation: 'read' },
  ],
  [
    'org.eclipse.dspace.dcp.vc.type:MembershipCredential:read',
    { alias: 'org.eclipse.dspace.dcp.vc.type', kind: 'type', discriminator: 'MembershipCredential', operation: 'read' },
  ],
  [
    'org.eclipse.tractusx.vc.type:BpnCredential:read',
    { alias: 'org.eclipse.tractusx.vc.type', kind: 'type', discriminator: 'BpnCredential', operation: 'read' },
  ],
  [
    'org.eclipse.edc.vc.type:DataExchangeGovernanceCredential:all',
    { alias: 'org.eclipse.edc.vc.type', kind: 'type', discriminator: 'DataExchangeGovernanceCredential', operation: 'all' },
  ],
  [
    'org.eclipse.dspace.dcp.vc.id:urn:uuid:4f1a1b2c-1111-2222-3333-444455556666',
    {
      alias: 'org.eclipse.dspace.dcp.vc.id',
      kind: 'id',
      discriminator: 'urn:uuid:4f1a1b2c-1111-2222-3333-444455556666',
      operation: 'read',
    },
  ],
  [
    'org.eclipse.dspace.dcp.vc.id:urn:uuid:abc:write',
    { alias: 'org.eclipse.dspace.dcp.vc.id', kind: 'id', discriminator: 'urn:uuid:abc', operation: 'write' },
  ],
]

for (const [raw, expected] of parsed) {
  t.test(`parses ${raw}`, async (t) => {
    t.same(parseScope(raw), { raw, ...expected })
  })
}

for (const raw of ['presentation1', 'unknown.alias:Type', ':Type', 'org.eclipse.dspace.dcp.vc.type:', 'org.eclipse.dspace.dcp.vc.type::read', 'org.eclipse.dspace.dcp.vc.type:A B']) {
  t.test(`drops ${JSON.stringify(raw)}`, async (t) => {
    t.equal(parseScope(raw), undefined)
  })
}

t.test('aliases of one type share a grant key', async (t) => {
  const keys = [
    'org.eclipse.dspace.dcp.vc.type:MembershipCredential',
    'org.eclipse.tractusx.vc.type:MembershipCredential:read',
    'org.eclipse.edc.vc.type:MembershipCredential:read',
  ].map((raw) => grantKey(parseScope(raw)!))
  t.same(new Set(keys), new Set(['type:MembershipCredential']))
})

t.test('scope lists split on any whitespace', async (t) => {
  t.same(splitScopeList(' a:b  c:d\te:f '), ['a:b', 'c:d', 'e:f'])
  t.same(splitScopeList(undefined), [])
  t.same(splitScopeList(''), [])
})
