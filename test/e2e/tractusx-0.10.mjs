// Tractus-X EDC 0.10.0 connectors (EDC 0.13, DCP 0.8, DSP 0.8), built from test/e2e/connector.
import { join } from 'node:path'
import { repoRoot, sharedConnectorSettings } from './harness.mjs'

export default {
  name: 'tractusx-0.10',
  description: 'Tractus-X EDC 0.10.0 (EDC 0.13.0, DCP 0.8, DSP 0.8)',
  portBase: 28000,
  connectorDir: join(repoRoot, 'test/e2e/connector'),
  // The wallets hold all three Tractus-X credentials, as in a Catena-X deployment, although the
  // presentation queries of this flow ask only for MembershipCredential.
  credentialTypes: ['MembershipCredential', 'BpnCredential', 'DataExchangeGovernanceCredential'],
  protocol: 'dataspace-protocol-http',
  dcpVersion: '0.8',
  transfer: 'pull',
  policyContext: { 'cx-policy': 'https://w3id.org/catenax/policy/' },
  policy: {
    '@type': 'Set',
    permission: [{ action: 'use', constraint: [{ leftOperand: 'cx-policy:Membership', operator: 'eq', rightOperand: 'active' }] }],
  },

  configure(run) {
    for (const connector of Object.values(run.connectors)) {
      connector.participantId = connector.bpn
      connector.dspUrl = `http://localhost:${connector.ports.protocol}/api/v1/dsp`
      connector.dspAddress = connector.dspUrl
    }
  },

  /**
   * Returns the settings of a Tractus-X connector in production shape, with every address it calls
   * on loopback. NOTE: its web servers still bind all interfaces, because EDC 0.13 has no bind
   * address.
   */
  settings(run, connector) {
    const { ports } = connector
    return {
      ...sharedConnectorSettings(run, connector, { participantId: connector.bpn, protocolPath: '/api/v1/dsp' }),
      'web.http.public.port': ports.public,
      'web.http.public.path': '/api/public',
      'web.http.version.port': ports.version,
      'web.http.version.path': '/version',
      'web.http.proxy.port': ports.proxy,
      'web.http.proxy.path': '/proxy',
      'web.http.catalog.port': ports.catalog,
      'web.http.catalog.path': '/catalog',
      'web.http.catalog.auth.type': 'tokenbased',
      'web.http.catalog.auth.key': run.managementKey,
      'tx.edc.dpf.consumer.proxy.port': ports.consumerProxy,
      'edc.dataplane.api.public.baseurl': `http://localhost:${ports.public}/api/public`,
      'tx.edc.dataplane.token.refresh.endpoint': `http://localhost:${ports.public}/api/public/token`,
      'tx.edc.iam.iatp.credentialservice.url': `${run.serviceUrl}/p/${connector.id}/cs`,
      // Tractus-X 0.10 reads the BDRS URL under both names; the client appends /bpn-directory.
      'tx.iam.iatp.bdrs.server.url': `${run.serviceUrl}/p/${run.authority.id}`,
      'tx.edc.iam.iatp.bdrs.server.url': `${run.serviceUrl}/p/${run.authority.id}`,
      'edc.dcp.v08.forced': 'true',
      // The federated catalog crawler would contact configured nodes; none are wanted.
      'edc.catalog.cache.execution.enabled': 'false',
    }
  },
}
