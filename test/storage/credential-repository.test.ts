import t from 'tap'
import { parseJwtCredential } from '../../src/credentials/parsed-credential.js'
import {
  deleteCredential,
  findCredential,
  insertCredential,
  listCredentials,
  isValidAt,
  listIssuedCredentials,
  setCredentialState,
} from '../../src/storage/credential-repository.js'
import { migrate } from '../../src/storage/migrate.js'
import { insertParticipant } from '../../src/storage/participant-repository.js'
import { isTrustedIssuer, listTrustedIssuers, upsertTrustedIssuer } from '../../src/storage/trusted-issuer-repository.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { createTestParty } from '../helpers/test-party.js'

const holderDid = 'did:web:holder.example'

for (const kind of databaseKinds) {
  t.test(`${kind}: credential store`, async (t) => {
    const db = await createTestDatabase(t, kind)
    await migrate(db)
    await insertParticipant(db, { id: 'holder', did: holderDid, displayName: 'H', roles: ['holder'] })
    const issuer = await createTestParty('did:web:issuer.example')
    const now = Math.floor(Date.now() / 1000)

    async function credential(type: string, issuedSecondsAgo: number, validSeconds = 3600) {
      const raw = await issuer.sign({
        iss: issuer.did,
        sub: holderDid,
        nbf: now - issuedSecondsAgo,
        exp: now - issuedSecondsAgo + validSeconds,
        vc: {
          type: ['VerifiableCredential', type],
          issuer: issuer.did,
          credentialSubject: { id: holderDid },
          // Padding makes the JWT longer than a B-tree index entry may be.
          padding: 'x'.repeat(4000),
        },
      })
      return parseJwtCredential(raw)
    }

    const older = await insertCredential(db, { participantId: 'holder', credential: await credential('MembershipCredential', 600) })
    const newer = await insertCredential(db, {
      participantId: 'holder',
      credential: await credential('MembershipCredential', 60),
      holderPid: 'hp-1',
    })
    const expired = await insertCredential(db, { participantId: 'holder', credential: await credential('BpnCredential', 7200) })

    t.test('repeated delivery stores once', async (t) => {
      const again = await insertCredential(db, { participantId: 'holder', credential: parseJwtCredential(newer.raw) })
      t.equal(again.id, newer.id)
      t.equal((await listCredentials(db, { participantId: 'holder', limit: 10 })).length, 3)
    })

    t.test('issued credentials newest first, validity checked apart', async (t) => {
      const issued = await listIssuedCredentials(db, 'holder')
      t.same(issued.map((c) => c.id), [newer.id, older.id, expired.id])
      const presentable = issued.filter((c) => isValidAt(c, new Date()))
      t.same(presentable.map((c) => c.id), [newer.id, older.id])
      await setCredentialState(db, newer.id, 'revoked')
      t.same((await listIssuedCredentials(db, 'holder')).map((c) => c.id), [older.id, expired.id])
      await setCredentialState(db, newer.id, 'issued')
    })

    t.test('validity period bounds', async (t) => {
      const at = new Date('2026-06-01T00:00:00Z')
      const day = 86_400_000
      t.equal(isValidAt({ validFrom: null, validUntil: null }, at), true, 'open on both ends')
      t.equal(isValidAt({ validFrom: at, validUntil: null }, at), true, 'starts now')
      t.equal(isValidAt({ validFrom: new Date(at.getTime() + 1), validUntil: null }, at), false, 'starts later')
      t.equal(isValidAt({ validFrom: null, validUntil: at }, at), false, 'ends now')
      t.equal(isValidAt({ validFrom: new Date(at.getTime() - day), validUntil: new Date(at.getTime() + day) }, at), true, 'inside')
    })

    t.test('filters, read and delete', async (t) => {
      t.equal((await listCredentials(db, { participantId: 'holder', type: 'BpnCredential', limit: 10 })).length, 1)
      const read = await findCredential(db, 'holder', newer.id)
      t.equal(read?.holderPid, 'hp-1')
      t.equal(read?.raw, newer.raw)
      t.equal(await deleteCredential(db, 'holder', expired.id), true)
      t.equal(await deleteCredential(db, 'holder', expired.id), false)
    })

    t.test('trusted issuers', async (t) => {
      t.equal(await isTrustedIssuer(db, 'holder', issuer.did, ['MembershipCredential']), false)
      await upsertTrustedIssuer(db, { participantId: 'holder', issuerDid: issuer.did, credentialTypes: [] })
      t.equal(await isTrustedIssuer(db, 'holder', issuer.did, ['VerifiableCredential', 'MembershipCredential']), true)
      await upsertTrustedIssuer(db, { participantId: 'holder', issuerDid: issuer.did, credentialTypes: ['BpnCredential'] })
      t.equal(await isTrustedIssuer(db, 'holder', issuer.did, ['VerifiableCredential', 'MembershipCredential']), false)
      t.equal(await isTrustedIssuer(db, 'holder', issuer.did, ['VerifiableCredential', 'BpnCredential']), true)
      t.same((await listTrustedIssuers(db, 'holder')).map((row) => row.credentialTypes), [['BpnCredential']])
    })
  })
}
