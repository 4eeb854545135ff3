// Upstream Eclipse EDC 0.15.1 connectors (DCP 1.0, DSP 2025-1), built from test/e2e/connector-edc.
import { join } from 'node:path'
import { repoRoot, sharedConnectorSettings } from './harness.mjs'

/** The scope that EDC adds to every DCP presentation query, so the wallet must present a MembershipCredential. */
const membershipScope = 'org.eclipse.dspace.dcp.vc.type:MembershipCredential:read'

export default {
  name: 'edc-0.15',
  description: 'upstream EDC 0.15.1 (DCP 1.0, DSP 2025-1)',
  portBase: 29000,
  connectorDir: join(repoRoot, 'test/e2e/connector-edc'),
  credentialTypes: ['MembershipCredential'],
  protocol: 'dataspace-protocol-http:2025-1',
  dcpVersion: '1.0',
  // NOTE: HTTP pull is not tested with EDC 0.15, because Maven Central serves no data plane public
  // API at 0.15.x. The provider's data plane pushes the data to the loopback sink instead.
  transfer: 'push',
  /**
   * No constraint: upstream EDC has no Membership policy function. The access check is the DCP
   * authentication of each DSP request, which verifies the consumer's presentation of the
   * MembershipCredential requested by the default scope.
   */
  policy: { '@type': 'Set', permission: [{ action: 'use' }] },

  configure(run) {
    for (const connector of Object.values(run.connectors)) {
      connector.participantId = connector.did
      connector.dspUrl = `http://localhost:${connector.ports.protocol}/api/dsp`
      connector.dspAddress = `${connector.dspUrl}/2025-1`
    }
  },

  /** Returns the settings of an upstream EDC connector in production shape, with every address it calls on loopback. */
  settings(run, connector) {
    return {
      ...sharedConnectorSettings(run, connector, { participantId: connector.did, protocolPath: '/api/dsp' }),
      'edc.dcp.v08.forced': 'false',
      'edc.iam.dcp.scopes.membership.id': 'membership',
      'edc.iam.dcp.scopes.membership.type': 'DEFAULT',
      'edc.iam.dcp.scopes.membership.value': membershipScope,
      // JSON-LD contexts come from EDC's bundled copies only, never from their hosts (the EDC 0.15 default, stated here).
      'edc.jsonld.http.enabled': 'false',
      'edc.jsonld.https.enabled': 'false',
    }
  },
}
