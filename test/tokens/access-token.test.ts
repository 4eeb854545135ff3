import { createHmac, generateKeyPairSync, sign } from 'node:crypto'
import t from 'tap'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { migrate } from '../../src/storage/migrate.js'
import { deleteParticipant, insertParticipant } from '../../src/storage/participant-repository.js'
import { mintAccessToken, verifyAccessToken } from '../../src/tokens/access-token.js'
import { AccessTokenKeys } from '../../src/tokens/access-token-keys.js'
import { HolderSnapshots } from '../../src/holder/holder-snapshots.js'
import { createLogger } from '../../src/observability/logger.js'
import { countingStatements, createTestDatabase, databaseKinds } from '../helpers/databases.js'

const holderDid = 'did:web:holder.example'
const verifierDid = 'did:web:verifier.example'
const scopes = ['org.eclipse.tractusx.vc.type:MembershipCredential:read']

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

for (const kind of databaseKinds) {
  t.test(`${kind}: access tokens`, async (t) => {
    const db = await createTestDatabase(t, kind)
    await migrate(db)
    await insertParticipant(db, { id: 'holder', did: holderDid, displayName: 'H', roles: ['holder'] })
    await insertParticipant(db, { id: 'other', did: 'did:web:other.example', displayName: 'O', roles: ['holder'] })
    let nowMs = Date.now()
    const nowSeconds = () => Math.floor(nowMs / 1000)
    const mint = (keys: AccessTokenKeys, participantId = 'holder') =>
      mintAccessToken(keys, participantId, { holderDid, verifierDid, scopes }, { ttlSeconds: 300, nowSeconds: nowSeconds() })
    const check = (keys: AccessTokenKeys, token: string) =>
      verifyAccessToken(keys, token, { participantId: 'holder', holderDid, presenterDid: verifierDid, nowSeconds: nowSeconds(), leewaySeconds: 5 })
    const outcomeOf = (keys: AccessTokenKeys, token: string) => check(keys, token).then(() => 'accepted', (error: Error & { code?: string }) => `${error.code}: ${error.message}`)

    t.test('minted token verifies as HS256', async (t) => {
      const keys = new AccessTokenKeys({ db, ttlSeconds: 60 })
      const token = await mint(keys)
      const header = decodeProtectedHeader(token)
      t.same(Object.keys(header).sort(), ['alg', 'kid', 'typ'])
      t.equal(header.alg, 'HS256')
      t.match(decodeJwt(token), { iss: holderDid, sub: verifierDid, aud: holderDid, scope: scopes[0], exp: nowSeconds() + 300 })
      const verified = await check(keys, token)
      t.same(verified.scopes.map((scope) => scope.discriminator), ['MembershipCredential'])
      t.equal(verified.jti, decodeJwt(token).jti)
    })

    t.test('first tokens share one key', async (t) => {
      const counted = countingStatements(db)
      const keys = new AccessTokenKeys({ db: counted, ttlSeconds: 60 })
      await db.query(`DELETE FROM access_token_keys WHERE participant_id = 'other'`)
      const tokens = await Promise.all([mint(keys, 'other'), mint(keys, 'other'), mint(keys, 'other')])
      t.equal(new Set(tokens.map((token) => decodeProtectedHeader(token).kid)).size, 1)
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM access_token_keys WHERE participant_id = 'other'`)
      t.equal(rows[0]!.n, 1)
      const statements = counted.statements
      await mint(keys, 'other')
      t.equal(counted.statements, statements, 'no statement for a token minted with a cached key')
    })

    t.test("replica finds another replica's key", async (t) => {
      await db.query(`DELETE FROM access_token_keys WHERE participant_id = 'holder'`)
      const checking = new AccessTokenKeys({ db, ttlSeconds: 60, now: () => nowMs })
      t.equal(await checking.find('holder', 'none'), undefined, 'the participant has no key yet')
      const token = await mint(new AccessTokenKeys({ db, ttlSeconds: 60 }))
      t.match(await outcomeOf(checking, token), /not MACed with a current key/, 'within a second of the last load the keys are not read again')
      nowMs += 1001
      t.equal(await outcomeOf(checking, token), 'accepted', 'then the unknown key id reloads them, long before the cache expires')
    })

    t.test('unknown key ids reload once a second', async (t) => {
      const counted = countingStatements(db)
      const keys = new AccessTokenKeys({ db: counted, ttlSeconds: 60, now: () => nowMs })
      const genuine = await mint(keys)
      const [header, payload] = genuine.split('.')
      const madeUp = (kid: string) => {
        const input = `${base64url({ alg: 'HS256', typ: 'JWT', kid })}.${payload}`
        return `${input}.${createHmac('sha256', Buffer.alloc(32)).update(input).digest('base64url')}`
      }
      t.ok(header)
      nowMs += 1001
      const before = counted.statements
      for (let i = 0; i < 20; i++) t.match(await outcomeOf(keys, madeUp(`kid-${i}`)), /^ERR_ACCESS_TOKEN_INVALID/)
      t.equal(counted.statements - before, 1, 'one reload for twenty unknown ids')
    })

    t.test('forged and altered tokens rejected', async (t) => {
      const keys = new AccessTokenKeys({ db, ttlSeconds: 60 })
      const token = await mint(keys)
      const [header, payload, mac] = token.split('.') as [string, string, string]
      const claims = decodeJwt(token)
      const kid = decodeProtectedHeader(token).kid!
      const wider = base64url({ ...claims, scope: `${scopes[0]} org.eclipse.tractusx.vc.type:BpnCredential:read` })
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const es256Input = `${base64url({ alg: 'ES256', kid })}.${payload}`
      const es256 = `${es256Input}.${sign('sha256', Buffer.from(es256Input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
      // The last character of a 32-byte MAC carries 2 unused bits, so a second spelling decodes to the same bytes.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      const respelled = `${mac.slice(0, -1)}${alphabet[alphabet.indexOf(mac.at(-1)!) ^ 1]}`
      t.same(Buffer.from(respelled, 'base64url'), Buffer.from(mac, 'base64url'), 'both spellings decode to one MAC')
      const cases: Array<[string, string]> = [
        ['wider scope under the old MAC', `${header}.${wider}.${mac}`],
        ['MAC of another secret', `${header}.${payload}.${createHmac('sha256', Buffer.alloc(32, 1)).update(`${header}.${payload}`).digest('base64url')}`],
        ['ES256 signature instead of a MAC', es256],
        ['alg none', `${base64url({ alg: 'none', kid })}.${payload}.`],
        ['no MAC', `${header}.${payload}.`],
        ['MAC spelled another way', `${header}.${payload}.${respelled}`],
        ['not a JWT', 'faketoken'],
      ]
      for (const [name, forged] of cases) t.match(await outcomeOf(keys, forged), /^ERR_ACCESS_TOKEN_INVALID: the access token is not/, name)
      t.equal(await outcomeOf(keys, token), 'accepted', 'the genuine token still verifies')
    })

    t.test('rotation keeps the previous key', async (t) => {
      const keys = new AccessTokenKeys({ db, ttlSeconds: 60 })
      const beforeFirst = await mint(keys)
      const first = await keys.rotate('holder')
      const beforeSecond = await mint(keys)
      t.equal(decodeProtectedHeader(beforeSecond).kid, first.id, 'new tokens use the new key')
      await keys.rotate('holder')
      t.equal(await outcomeOf(keys, beforeSecond), 'accepted', 'the key before the rotation still verifies')
      t.match(await outcomeOf(keys, beforeFirst), /not MACed with a current key/, 'a key two rotations old is gone')
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM access_token_keys WHERE participant_id = 'holder'`)
      t.equal(rows[0]!.n, 2)
    })

    t.test('replicas drop keys on notification', async (t) => {
      await db.query(`DELETE FROM access_token_keys WHERE participant_id = 'holder'`)
      const replica = async () => {
        const snapshots = new HolderSnapshots(db, createLogger('silent'))
        await snapshots.start()
        t.teardown(() => snapshots.stop())
        return { snapshots, keys: new AccessTokenKeys({ db, ttlSeconds: 600, changes: snapshots }) }
      }
      const replicaOne = await replica()
      const replicaTwo = await replica()
      const notified = () => new Promise<void>((resolve) => replicaTwo.snapshots.addChangeListener((id) => id === 'holder' && resolve()))

      t.equal(await replicaTwo.keys.find('holder', 'none'), undefined, 'b caches that the holder has no key')
      let arrived = notified()
      const first = await mint(replicaOne.keys)
      await arrived
      const second = await mint(replicaTwo.keys)
      t.equal(decodeProtectedHeader(second).kid, decodeProtectedHeader(first).kid, 'b mints with the key a created instead of adding one')
      t.equal(await outcomeOf(replicaTwo.keys, first), 'accepted')

      arrived = notified()
      await db.transaction((tx) => replicaOne.keys.rotate('holder', tx))
      await db.transaction((tx) => replicaOne.keys.rotate('holder', tx))
      await arrived
      t.match(await outcomeOf(replicaTwo.keys, first), /not MACed with a current key/, 'b refuses the deleted key long before its cache expires')
      const fromB = await mint(replicaTwo.keys)
      t.not(decodeProtectedHeader(fromB).kid, decodeProtectedHeader(first).kid, 'b mints with the newest key')
      t.equal(await outcomeOf(replicaOne.keys, fromB), 'accepted')
    })

    t.test('concurrent rotations keep two keys', async (t) => {
      const keys = new AccessTokenKeys({ db, ttlSeconds: 60 })
      await mint(keys)
      const rotated = await Promise.all([1, 2, 3].map(() => db.transaction((tx) => keys.rotate('holder', tx))))
      const { rows } = await db.query<{ id: string }>(`SELECT id FROM access_token_keys WHERE participant_id = 'holder' ORDER BY created_at DESC`)
      t.equal(rows.length, 2)
      t.ok(rotated.some((key) => key.id === rows[0]!.id), 'the newest key is one a rotation reported')
      t.equal(decodeProtectedHeader(await mint(keys)).kid, rows[0]!.id, 'new tokens use it')
    })

    t.test("other participant's key rejected", async (t) => {
      const keys = new AccessTokenKeys({ db, ttlSeconds: 60 })
      const othersToken = await mint(keys, 'other')
      t.match(await outcomeOf(keys, othersToken), /not MACed with a current key of this participant/)
    })

    t.test('keys go with their participant', async (t) => {
      await deleteParticipant(db, 'other')
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM access_token_keys WHERE participant_id = 'other'`)
      t.equal(rows[0]!.n, 0)
    })
  })
}
