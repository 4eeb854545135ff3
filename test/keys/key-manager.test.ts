import { createPublicKey, verify } from 'node:crypto'
import { base64url, importJWK, jwtVerify } from 'jose'
import t, { type Test } from 'tap'
import { AppError } from '../../src/errors/app-error.js'
import { signJwt } from '../../src/keys/sign-jwt.js'
import type { Database, Queryable } from '../../src/storage/database.js'
import { setParticipantState } from '../../src/storage/participant-repository.js'
import { createTestDatabase, databaseKinds } from '../helpers/databases.js'
import { addParticipant, openTestKeyStore, rejectionOf } from '../helpers/keys.js'

/** Wraps a database so tests can count the queries a call makes. */
function countingDatabase(db: Database): Database & { queries: number } {
  const counter = {
    queries: 0,
    kind: db.kind,
    query: (sql: string, params?: readonly unknown[]) => {
      counter.queries += 1
      return db.query(sql, params)
    },
    exec: (sql: string) => db.exec(sql),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) =>
      db.transaction((tx) => {
        const counted: Queryable = {
          query: (sql, params) => {
            counter.queries += 1
            return tx.query(sql, params)
          },
          exec: (sql) => tx.exec(sql),
        }
        return work(counted)
      }),
    poolStats: () => db.poolStats(),
    close: () => db.close(),
  }
  return counter as Database & { queries: number }
}

/**
 * Wraps a database so a test can hold back the result of the next query that contains `fragment`
 * after `arm`, until it calls `release`.
 */
function holdingDatabase(db: Database, fragment: string) {
  let armed = false
  let reached = (): void => {}
  let release = (): void => {}
  const wrapped: Database = {
    kind: db.kind,
    query: async (sql, params) => {
      const result = await db.query(sql, params)
      if (armed && sql.includes(fragment)) {
        armed = false
        reached()
        await new Promise<void>((resolve) => (release = resolve))
      }
      return result as never
    },
    exec: (sql) => db.exec(sql),
    transaction: (work) => db.transaction(work),
    listen: (channel, onNotification) => db.listen(channel, onNotification),
    poolStats: () => db.poolStats(),
    close: () => db.close(),
  }
  return {
    db: wrapped,
    /** Holds the next matching query and resolves once it has its result. */
    arm: () =>
      new Promise<void>((resolve) => {
        armed = true
        reached = resolve
      }),
    release: () => release(),
  }
}

function assertAppError(t: Test, error: unknown, code: string, message: string) {
  t.type(error, AppError)
  t.equal((error as AppError).code, code)
  t.equal((error as AppError).message, message)
}

const input = new TextEncoder().encode('header.payload')

for (const kind of databaseKinds) {
  t.test(`${kind}: create, default and sign`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { keyManager } = await openTestKeyStore(t, db)
    await addParticipant(db, 'acme')

    const es = await keyManager.create('acme', { usages: ['sign_token', 'sign_presentation'] })
    t.match(es, { participantId: 'acme', algorithm: 'ES256', custody: 'local', state: 'active', rotatedAt: null })
    t.equal(es.fragment, `key-${es.id}`)
    t.same(es.defaultFor, ['sign_presentation', 'sign_token'])
    t.same(Object.keys(es.publicJwk).sort(), ['crv', 'kty', 'x', 'y'])

    const ed = await keyManager.create('acme', { usages: ['sign_token', 'sign_credentials'], algorithm: 'EdDSA' })
    t.same(ed.defaultFor, ['sign_credentials'], 'a new key takes only usages without a default')
    t.equal((await keyManager.defaultKey('acme', 'sign_token')).id, es.id)
    t.equal((await keyManager.defaultKey('acme', 'sign_credentials')).id, ed.id)

    const esSignature = await keyManager.sign(es, input)
    t.equal(esSignature.length, 64)
    const esPublic = createPublicKey({ key: es.publicJwk as never, format: 'jwk' })
    t.ok(verify('sha256', input, { key: esPublic, dsaEncoding: 'ieee-p1363' }, esSignature))

    const edSignature = await keyManager.sign(ed, input)
    t.ok(verify(null, input, createPublicKey({ key: ed.publicJwk as never, format: 'jwk' }), edSignature))

    const esPooled = await keyManager.sign(es, input, { onThreadPool: true })
    t.equal(esPooled.length, 64)
    t.ok(verify('sha256', input, { key: esPublic, dsaEncoding: 'ieee-p1363' }, esPooled), 'ES256 on the thread pool verifies')
    const edPooled = await keyManager.sign(ed, input, { onThreadPool: true })
    t.same(edPooled, edSignature, 'EdDSA on the thread pool gives the same deterministic signature')
  })

  t.test(`${kind}: private keys are stored encrypted`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { keyManager } = await openTestKeyStore(t, db)
    await addParticipant(db, 'acme')
    const key = await keyManager.create('acme', { usages: ['sign_token'] })

    const row = await db.query<{ private_key_ciphertext: Uint8Array }>(
      'SELECT private_key_ciphertext FROM participant_keys WHERE id = $1',
      [key.id],
    )
    const stored = Buffer.from(row.rows[0]!.private_key_ciphertext)
    t.equal(stored[0], 1, 'layout version')
    // A P-256 PKCS#8 DER starts with this SEQUENCE header; the ciphertext must not contain it.
    t.equal(stored.indexOf(Buffer.from('308187020100', 'hex')), -1)
  })

  t.test(`${kind}: another master key cannot load a key`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const first = await openTestKeyStore(t, db)
    await addParticipant(db, 'acme')
    const key = await first.keyManager.create('acme', { usages: ['sign_token'] })

    const second = await openTestKeyStore(t, db, { MASTER_KEY: 'ff'.repeat(32) })
    const error = await rejectionOf(second.keyManager.sign(key, input))
    assertAppError(
      t,
      error,
      'ERR_KEY_MATERIAL_INVALID',
      `cannot decrypt local key "${key.id}" of participant "acme": authentication failed: wrong master key, or the data was altered`,
    )
  })

  t.test(`${kind}: rotation`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { keyManager } = await openTestKeyStore(t, db)
    await addParticipant(db, 'acme')
    const old = await keyManager.create('acme', { usages: ['sign_token', 'sign_presentation'], algorithm: 'EdDSA' })
    t.equal((await keyManager.defaultKey('acme', 'sign_token')).id, old.id)

    const fresh = await keyManager.rotate('acme', old.id)
    t.not(fresh.id, old.id)
    t.match(fresh, { algorithm: 'EdDSA', custody: 'local', state: 'active', usages: old.usages })
    t.same(fresh.defaultFor, ['sign_presentation', 'sign_token'])
    t.equal((await keyManager.defaultKey('acme', 'sign_token')).id, fresh.id, 'cache invalidated by rotation')

    const keys = await keyManager.list('acme')
    t.same(keys.map((key) => [key.id, key.state]), [[old.id, 'rotated'], [fresh.id, 'active']])
    t.ok(keys[0]!.rotatedAt instanceof Date)
    t.same(keys[0]!.defaultFor, [])

    const again = await rejectionOf(keyManager.rotate('acme', old.id))
    assertAppError(t, again, 'ERR_KEY_NOT_ACTIVE', `key "${old.id}" of participant "acme" is rotated, so it cannot be rotated`)
  })

  t.test(`${kind}: revocation`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { keyManager } = await openTestKeyStore(t, db)
    await addParticipant(db, 'acme')
    const older = await keyManager.create('acme', { usages: ['sign_token'] })
    const newer = await keyManager.create('acme', { usages: ['sign_token', 'sign_presentation'] })
    t.equal((await keyManager.defaultKey('acme', 'sign_token')).id, older.id)

    const revoked = await keyManager.revoke('acme', older.id)
    t.equal(revoked.state, 'revoked')
    t.ok(revoked.revokedAt instanceof Date)
    t.equal((await keyManager.defaultKey('acme', 'sign_token')).id, newer.id, 'next active key takes over')

    const row = await db.query<{ private_key_ciphertext: Uint8Array | null }>(
      'SELECT private_key_ciphertext FROM participant_keys WHERE id = $1',
      [older.id],
    )
    t.equal(row.rows[0]!.private_key_ciphertext, null, 'encrypted private key erased')

    t.same((await keyManager.list('acme')).map((key) => key.id), [newer.id])
    t.same((await keyManager.list('acme', { includeRevoked: true })).map((key) => key.id), [older.id, newer.id])

    const again = await keyManager.revoke('acme', older.id)
    t.same(again.revokedAt, revoked.revokedAt, 'revoking twice keeps the first time')

    assertAppError(
      t,
      await rejectionOf(keyManager.sign(revoked, input)),
      'ERR_KEY_NOT_ACTIVE',
      `key "${older.id}" of participant "acme" is revoked, so it cannot be used to sign`,
    )
    // A stale copy that still says active is checked against the database.
    assertAppError(
      t,
      await rejectionOf(keyManager.sign({ ...revoked, state: 'active' }, input)),
      'ERR_KEY_NOT_ACTIVE',
      `key "${older.id}" of participant "acme" is revoked, so it cannot be used to sign`,
    )

    await keyManager.revoke('acme', newer.id)
    assertAppError(
      t,
      await rejectionOf(keyManager.defaultKey('acme', 'sign_token')),
      'ERR_KEY_NO_DEFAULT',
      'participant "acme" has no active key for usage "sign_token"; create a key with that usage',
    )
  })

  t.test(`${kind}: errors name participant and key`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { keyManager } = await openTestKeyStore(t, db)
    await addParticipant(db, 'acme')

    assertAppError(t, await rejectionOf(keyManager.create('nobody', { usages: ['sign_token'] })), 'ERR_PARTICIPANT_NOT_FOUND', 'participant "nobody" not found')
    assertAppError(t, await rejectionOf(keyManager.defaultKey('nobody', 'sign_token')), 'ERR_PARTICIPANT_NOT_FOUND', 'participant "nobody" not found')
    assertAppError(t, await rejectionOf(keyManager.list('nobody')), 'ERR_PARTICIPANT_NOT_FOUND', 'participant "nobody" not found')
    assertAppError(t, await rejectionOf(keyManager.rotate('acme', 'aaaaaaaaaaaaaaaa')), 'ERR_KEY_NOT_FOUND', 'participant "acme" has no key "aaaaaaaaaaaaaaaa"')
    assertAppError(t, await rejectionOf(keyManager.revoke('acme', 'aaaaaaaaaaaaaaaa')), 'ERR_KEY_NOT_FOUND', 'participant "acme" has no key "aaaaaaaaaaaaaaaa"')
    assertAppError(
      t,
      await rejectionOf(keyManager.create('acme', { usages: ['sign_token'], custody: 'aws-kms' })),
      'ERR_KEY_CUSTODY_UNAVAILABLE',
      'key custody "aws-kms" is unavailable: no KMS region is configured; set KMS_REGION or AWS_REGION',
    )
    assertAppError(
      t,
      await rejectionOf(keyManager.defaultKeyForDid('did:web:nowhere', 'sign_token')),
      'ERR_PARTICIPANT_NOT_FOUND',
      'no participant has the DID "did:web:nowhere"',
    )

    const key = await keyManager.create('acme', { usages: ['sign_token'] })
    await setParticipantState(db, 'acme', 'deactivated')
    const message = 'participant "acme" is deactivated'
    assertAppError(t, await rejectionOf(keyManager.create('acme', { usages: ['sign_token'] })), 'ERR_PARTICIPANT_DEACTIVATED', message)
    assertAppError(t, await rejectionOf(keyManager.rotate('acme', key.id)), 'ERR_PARTICIPANT_DEACTIVATED', message)
    t.equal((await keyManager.revoke('acme', key.id)).state, 'revoked', 'a deactivated participant can still revoke')
  })

  t.test(`${kind}: failed change leaves no key`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { keyManager } = await openTestKeyStore(t, db)
    await addParticipant(db, 'acme')
    const failing = <T>(work: (tx: Queryable) => Promise<T>) =>
      db.transaction(async (tx) => {
        await work(tx)
        throw new Error('audit failed')
      })
    const error = await rejectionOf(keyManager.create('acme', { usages: ['sign_token'] }, { transaction: failing }))
    t.equal((error as Error).message, 'audit failed')
    t.same(await keyManager.list('acme', { includeRevoked: true }), [])
  })

  t.test(`${kind}: signJwt makes no query in steady state`, async (t) => {
    const base = await createTestDatabase(t, kind)
    const db = countingDatabase(base)
    let now = 1_000_000
    const { keyManager } = await openTestKeyStore(t, db, { KEY_CACHE_TTL_SECONDS: '10' }, { now: () => now })
    const participant = await addParticipant(base, 'acme')
    const key = await keyManager.create('acme', { usages: ['sign_token'] })

    const first = await signJwt(keyManager, participant.did, 'sign_token', { typ: 'JWT' }, { iss: participant.did })
    const before = db.queries
    for (let i = 0; i < 20; i += 1) {
      await signJwt(keyManager, participant.did, 'sign_token', { typ: 'JWT' }, { iss: participant.did, n: i })
    }
    t.equal(db.queries, before, 'twenty tokens, no query')

    const publicKey = await importJWK(key.publicJwk, 'ES256')
    const { protectedHeader, payload } = await jwtVerify(first, publicKey)
    t.same(protectedHeader, { typ: 'JWT', alg: 'ES256', kid: `${participant.did}#${key.fragment}` })
    t.equal(payload.iss, participant.did)

    now += 10_001
    await signJwt(keyManager, participant.did, 'sign_token', {}, {})
    t.ok(db.queries > before, 'an expired lookup reads the database again')
  })

  t.test(`${kind}: ready signer after caching`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const first = await openTestKeyStore(t, db)
    const participant = await addParticipant(db, 'acme')
    const key = await first.keyManager.create('acme', { usages: ['sign_token'] })

    const other = (await openTestKeyStore(t, db)).keyManager
    t.equal(other.readySigner(participant.did, 'sign_token'), undefined, 'nothing cached yet')
    const looked = await other.defaultKeyForDid(participant.did, 'sign_token')
    t.equal(other.readySigner(participant.did, 'sign_token'), undefined, 'the key is cached, its signer not loaded yet')
    await other.sign(looked, input)
    const ready = other.readySigner(participant.did, 'sign_token')
    t.equal(ready?.key.id, key.id)
    t.equal(other.readySigner(participant.did, 'sign_presentation'), undefined, 'another usage has no default key')
    t.equal(other.readySigner('did:web:example.com:nobody', 'sign_token'), undefined)

    const signature = await ready!.sign(input)
    const publicKey = createPublicKey({ key: key.publicJwk, format: 'jwk' })
    t.ok(verify('sha256', input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature), 'its signature verifies with the public key')

    const fresh = await other.rotate('acme', key.id)
    t.equal(other.readySigner(participant.did, 'sign_token'), undefined, 'rotation drops it')
    await other.defaultKeyForDid(participant.did, 'sign_token')
    t.equal(other.readySigner(participant.did, 'sign_token')?.key.id, fresh.id, 'the new key is ready after one lookup, its signer came with it')

    await other.revoke('acme', fresh.id)
    t.equal(other.readySigner(participant.did, 'sign_token'), undefined, 'revocation drops it')
    assertAppError(
      t,
      await rejectionOf(signJwt(other, participant.did, 'sign_token', {}, {})),
      'ERR_KEY_NO_DEFAULT',
      'participant "acme" has no active key for usage "sign_token"; create a key with that usage',
    )
  })

  for (const change of ['rotate', 'revoke'] as const) {
    t.test(`${kind}: lookup overlapping ${change} is not cached`, async (t) => {
      const base = await createTestDatabase(t, kind)
      const holding = holdingDatabase(base, 'participant_default_keys')
      const { keyManager } = await openTestKeyStore(t, holding.db)
      const participant = await addParticipant(base, 'acme')
      const old = await keyManager.create('acme', { usages: ['sign_token'] })
      const fallback = await keyManager.create('acme', { usages: ['sign_token'], algorithm: 'EdDSA' })

      const reached = holding.arm()
      const overlapping = keyManager.defaultKeyForDid(participant.did, 'sign_token')
      await reached
      const changed = change === 'rotate' ? await keyManager.rotate('acme', old.id) : await keyManager.revoke('acme', old.id)
      holding.release()
      t.equal((await overlapping).id, old.id, 'the overlapping lookup read the key before the change')

      const expected = change === 'rotate' ? changed.id : fallback.id
      t.equal((await keyManager.defaultKeyForDid(participant.did, 'sign_token')).id, expected, 'the next lookup reads the change')
      const jwt = await signJwt(keyManager, participant.did, 'sign_token', {}, {})
      const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8'))
      t.equal(header.kid, `${participant.did}#key-${expected}`, 'and signs with it')
    })
  }

  t.test(`${kind}: a deleted participant's keys are forgotten`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { keyManager } = await openTestKeyStore(t, db)
    const did = 'did:web:localhost%3A8080:reused'
    await addParticipant(db, 'first', { did })
    const first = await keyManager.create('first', { usages: ['sign_token'] })
    await signJwt(keyManager, did, 'sign_token', {}, {})
    t.equal(keyManager.readySigner(did, 'sign_token')?.key.id, first.id)

    await db.query('DELETE FROM participants WHERE id = $1', ['first'])
    keyManager.forgetParticipant('first')
    t.equal(keyManager.readySigner(did, 'sign_token'), undefined, 'nothing ready for the DID')
    await addParticipant(db, 'second', { did })
    const second = await keyManager.create('second', { usages: ['sign_token'] })
    t.equal((await keyManager.defaultKeyForDid(did, 'sign_token')).id, second.id, 'the DID now names the new participant')
  })

  t.test(`${kind}: frozen header encoded once`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { keyManager } = await openTestKeyStore(t, db)
    const participant = await addParticipant(db, 'acme')
    const key = await keyManager.create('acme', { usages: ['sign_token'] })
    const headerOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8'))
    const kid = `${participant.did}#${key.fragment}`

    const jwtType = Object.freeze({ typ: 'JWT' })
    const first = await signJwt(keyManager, participant.did, 'sign_token', jwtType, { n: 1 })
    const second = await signJwt(keyManager, participant.did, 'sign_token', jwtType, { n: 2 })
    t.equal(second.split('.')[0], first.split('.')[0])
    t.same(headerOf(second), { typ: 'JWT', alg: 'ES256', kid })

    const otherType = Object.freeze({ typ: 'vp+jwt' })
    t.same(headerOf(await signJwt(keyManager, participant.did, 'sign_token', otherType, {})), { typ: 'vp+jwt', alg: 'ES256', kid })
    t.same(headerOf(await signJwt(keyManager, participant.did, 'sign_token', jwtType, {})), { typ: 'JWT', alg: 'ES256', kid })

    const changing: { typ: string } = { typ: 'JWT' }
    await signJwt(keyManager, participant.did, 'sign_token', changing, {})
    changing.typ = 'at+jwt'
    t.same(headerOf(await signJwt(keyManager, participant.did, 'sign_token', changing, {})), { typ: 'at+jwt', alg: 'ES256', kid }, 'a header that may change is not kept')

    const chain = ['one']
    const nested = Object.freeze({ typ: 'JWT', x5c: chain })
    await signJwt(keyManager, participant.did, 'sign_token', nested, {})
    chain[0] = 'two'
    t.same(headerOf(await signJwt(keyManager, participant.did, 'sign_token', nested, {})).x5c, ['two'], 'a frozen header with an object member is not kept')
    await jwtVerify(second, await importJWK(key.publicJwk, 'ES256'))
  })

  t.test(`${kind}: caller header cannot replace alg or kid`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const { keyManager } = await openTestKeyStore(t, db)
    const participant = await addParticipant(db, 'acme')
    const key = await keyManager.create('acme', { usages: ['sign_token'], algorithm: 'EdDSA' })
    const header = { alg: 'none', kid: 'other' } as unknown as Record<string, never>
    const jwt = await signJwt(keyManager, participant.did, 'sign_token', header, {})
    const decoded = JSON.parse(Buffer.from(base64url.decode(jwt.split('.')[0]!)).toString('utf8'))
    t.same(decoded, { alg: 'EdDSA', kid: `${participant.did}#${key.fragment}` })
    await jwtVerify(jwt, await importJWK(key.publicJwk, 'EdDSA'))
  })

  t.test(`${kind}: preload loads default keys`, async (t) => {
    const db = await createTestDatabase(t, kind)
    const first = await openTestKeyStore(t, db)
    await addParticipant(db, 'acme')
    await first.keyManager.create('acme', { usages: ['sign_token'] })
    await first.keyManager.create('acme', { usages: ['sign_credentials'], algorithm: 'EdDSA' })

    const counted = countingDatabase(db)
    const second = await openTestKeyStore(t, counted)
    t.equal(await second.keyManager.preload(), 2)
    const key = await second.keyManager.defaultKey('acme', 'sign_token')
    const before = counted.queries
    await second.keyManager.sign(key, input)
    t.equal(counted.queries, before, 'a preloaded key signs without a query')
  })
}
