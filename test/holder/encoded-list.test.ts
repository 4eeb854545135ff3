import { gzipSync } from 'node:zlib'
import t from 'tap'
import { decodeEncodedList, isBitSet } from '../../src/holder/status/encoded-list.js'
import type { AppError } from '../../src/errors/app-error.js'

function encode(bytes: number[], prefix = 'u'): string {
  return prefix + gzipSync(Buffer.from(bytes)).toString('base64url')
}

t.test('bit 0 is the most significant bit of byte 0', async (t) => {
  const bits = decodeEncodedList(encode([0b1000_0000, 0b0000_0001]), 1024)
  t.equal(isBitSet(bits, 0), true)
  t.equal(isBitSet(bits, 1), false)
  t.equal(isBitSet(bits, 7), false)
  t.equal(isBitSet(bits, 15), true)
})

t.test('StatusList2021 list without multibase prefix decodes', async (t) => {
  const bits = decodeEncodedList(encode([0b0100_0000], ''), 1024)
  t.equal(isBitSet(bits, 1), true)
})

t.test('index beyond the list is rejected', async (t) => {
  const bits = decodeEncodedList(encode([0]), 1024)
  t.throws(() => isBitSet(bits, 8), { code: 'ERR_STATUS_LIST_INVALID', message: 'status index 8 is beyond the list of 8 entries' })
})

t.test('list larger than the cap is rejected', async (t) => {
  const error = t.throws(() => decodeEncodedList(encode(new Array(4096).fill(0)), 1024)) as AppError
  t.equal(error.code, 'ERR_STATUS_LIST_INVALID')
  t.equal(error.message, 'the decoded "encodedList" is larger than 1024 bytes')
})

t.test('StatusList2021 list in standard base64 decodes', async (t) => {
  // Bytes whose GZIP stream gives + and / in standard base64, the alphabet EDC reads.
  const bytes = Array.from({ length: 64 }, (_, index) => (index * 37) & 0xff)
  const encoded = gzipSync(Buffer.from(bytes)).toString('base64')
  t.match(encoded, /[+/]/)
  const bits = decodeEncodedList(encoded, 1024)
  t.same([...bits], bytes)
})

t.test('data that is not GZIP is rejected', async (t) => {
  const error = t.throws(() => decodeEncodedList(`u${Buffer.from('plain').toString('base64url')}`, 1024)) as AppError
  t.equal(error.message, 'the decoded "encodedList" is not GZIP data')
})

t.test('text that is not base64 is rejected', async (t) => {
  const error = t.throws(() => decodeEncodedList('u***', 1024)) as AppError
  t.equal(error.message, '"encodedList" is neither base64url nor base64')
})
