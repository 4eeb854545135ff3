import { gzipSync } from 'node:zlib'
import t from 'tap'
import { createStatusListClient } from '../../src/holder/status/status-refresh-task.js'
import { refreshCredentialStates } from '../../src/holder/status/refresh-credential-states.js'
import { createLogger } from '../../src/observability/logger.js'
import { createParticipant } from '../helpers/admin.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { startLoopbackParties, vc11Claims } from '../helpers/dcp-parties.js'
import { adminRequest, startTestServer } from '../helpers/server.js'
import type { TestParty } from '../helpers/test-party.js'

const holderDid = 'did:web:localhost%3A8080:holder'
const listSize = 16 * 1024

/** A status list whose bits can be set and cleared between checks. */
class Bits {
  readonly bytes = new Uint8Array(listSize / 8)
  set(index: number, value: boolean): void {
    const mask = 1 << (7 - (index % 8))
    this.bytes[index >> 3] = value ? this.bytes[index >> 3]! | mask : this.bytes[index >> 3]! & ~mask
  }
  encode(prefix: string): string {
    return prefix + gzipSync(this.bytes).toString('base64url')
  }
}

/** Signs a VC 1.1 JWT status list credential of the given type over the current bits. */
function listCredential(issuer: TestParty, url: string, type: 'BitstringStatusListCredential' | 'StatusList2021Credential', purpose: string, bits: Bits) {
  const now = Math.floor(Date.now() / 1000)
  return issuer.sign({
    iss: issuer.did,
    sub: url,
    iat: now,
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      id: url,
      type: ['VerifiableCredential', type],
      issuer: issuer.did,
      issuanceDate: new Date(now * 1000).toISOString(),
      credentialSubject: {
        id: `${url}#list`,
        type: type === 'BitstringStatusListCredential' ? 'BitstringStatusList' : 'StatusList2021',
        statusPurpose: purpose,
        encodedList: bits.encode(type === 'BitstringStatusListCredential' ? 'u' : ''),
      },
    },
  })
}

for (const kind of databaseKinds) {
  t.test(`status list refresh (${kind})`, async (t) => {
    const parties = await startLoopbackParties(t)
    const issuer = await parties.add('issuer')
    const stranger = await parties.add('stranger')
    const base = `http://${parties.host}`
    const revocation = new Bits()
    const suspension = new Bits()
    const lists: Record<string, { body: string }> = {}
    async function publish() {
      lists['/status/revocation'] = { body: await listCredential(issuer, `${base}/status/revocation`, 'BitstringStatusListCredential', 'revocation', revocation) }
      lists['/status/suspension'] = { body: await listCredential(issuer, `${base}/status/suspension`, 'StatusList2021Credential', 'suspension', suspension) }
      lists['/status/foreign'] = { body: await listCredential(stranger, `${base}/status/foreign`, 'BitstringStatusListCredential', 'revocation', revocation) }
    }
    for (const path of ['/status/revocation', '/status/suspension', '/status/foreign']) {
      parties.serve(path, () => ({ status: 200, contentType: 'application/vc+jwt', body: lists[path]!.body }))
    }
    await publish()

    const db = await createTestDatabase(t, kind)
    const server = await startTestServer(t, {
      db,
      env: { DID_WEB_HTTP_HOSTS: parties.host, STATUS_REFRESH_INTERVAL_SECONDS: '0', STATUS_LIST_CACHE_TTL_SECONDS: '0' },
    })
    await createParticipant(server.internalApp, { id: 'holder', did: holderDid })
    const client = createStatusListClient(server.context.config, server.context.resolver)
    const logger = createLogger('silent')
    const refresh = () => refreshCredentialStates(db, client, logger, { batchSize: 100 })

    async function importWithStatus(credentialStatus: object[]): Promise<string> {
      const credential = await issuer.sign(vc11Claims(issuer.did, holderDid, 'MembershipCredential', { credentialStatus }))
      const response = await adminRequest(server.internalApp, 'POST', '/v1/participants/holder/credentials', { body: { credential } })
      if (response.statusCode !== 201) throw new Error(`import failed: ${response.body}`)
      return response.json().id
    }
    const stateOf = async (id: string) => (await adminRequest(server.internalApp, 'GET', `/v1/participants/holder/credentials/${id}`)).json().state

    const bitstringEntry = (index: number) => ({
      id: `${base}/status/revocation#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: `${base}/status/revocation`,
    })
    const list2021Entry = (index: number) => ({
      id: `${base}/status/suspension#${index}`,
      type: 'StatusList2021Entry',
      statusPurpose: 'suspension',
      statusListIndex: String(index),
      statusListCredential: `${base}/status/suspension`,
    })

    const revokedId = await importWithStatus([bitstringEntry(3)])
    const suspendedId = await importWithStatus([list2021Entry(9), bitstringEntry(4)])
    const foreignId = await importWithStatus([{ ...bitstringEntry(3), statusListCredential: `${base}/status/foreign` }])

    t.test('unset bits leave credentials issued', async (t) => {
      t.same(await refresh(), { checked: 2, changed: 0, failed: 1 })
      t.equal(await stateOf(revokedId), 'issued')
      t.equal(await stateOf(suspendedId), 'issued')
    })

    t.test('Bitstring revocation bit revokes', async (t) => {
      revocation.set(3, true)
      await publish()
      await refresh()
      t.equal(await stateOf(revokedId), 'revoked')
      t.equal(await stateOf(suspendedId), 'issued')
    })

    t.test('StatusList2021 suspension bit suspends', async (t) => {
      suspension.set(9, true)
      await publish()
      await refresh()
      t.equal(await stateOf(suspendedId), 'suspended')
    })

    t.test('cleared suspension bit resumes', async (t) => {
      suspension.set(9, false)
      await publish()
      await refresh()
      t.equal(await stateOf(suspendedId), 'issued')
    })

    t.test('revocation is final', async (t) => {
      revocation.set(3, false)
      await publish()
      await refresh()
      t.equal(await stateOf(revokedId), 'revoked')
    })

    t.test('list of another issuer changes nothing', async (t) => {
      revocation.set(3, true)
      await publish()
      const summary = await refresh()
      t.equal(summary.failed, 1)
      t.equal(await stateOf(foreignId), 'issued')
    })

    t.test('list with a forged signature changes nothing', async (t) => {
      revocation.set(4, true)
      await publish()
      const [header, payload] = lists['/status/revocation']!.body.split('.')
      const forged = await stranger.sign(JSON.parse(Buffer.from(payload!, 'base64url').toString()), JSON.parse(Buffer.from(header!, 'base64url').toString()))
      lists['/status/revocation'] = { body: forged }
      await refresh()
      t.equal(await stateOf(suspendedId), 'issued')
    })

    t.test('unreachable list changes nothing', async (t) => {
      delete lists['/status/revocation']
      parties.serve('/status/revocation', () => ({ status: 404, contentType: 'text/plain', body: 'gone' }))
      const summary = await refresh()
      t.ok(summary.failed >= 1)
      t.equal(await stateOf(suspendedId), 'issued')
    })
  })
}
