import { gunzipSync } from 'node:zlib'
import t from 'tap'
import { decodeStatusList, encodeStatusList, statusBitAt } from '../../src/credentials/status-list.js'

t.test('bit 0 is the most significant bit of byte 0', async (t) => {
  const encoded = encodeStatusList(16, [0, 9, 15], 'StatusList2021')
  const bytes = gunzipSync(Buffer.from(encoded, 'base64'))
  t.same([...bytes], [0b1000_0000, 0b0100_0001])
})

t.test('Bitstring lists carry the multibase prefix', async (t) => {
  const encoded = encodeStatusList(131_072, [131_071], 'BitstringStatusList')
  t.match(encoded, /^u[A-Za-z0-9_-]+$/)
  const bytes = decodeStatusList(encoded)
  t.equal(bytes.length, 16_384)
  t.equal(statusBitAt(bytes, 131_071), true)
  t.equal(statusBitAt(bytes, 131_070), false)
})

t.test('StatusList2021 lists are standard base64', async (t) => {
  // Searches a list whose encoding has + or /, the characters that base64url writes as - and _
  // and that Java's Base64.getDecoder() rejects.
  let index = 0
  let encoded = ''
  do {
    index += 1
    encoded = encodeStatusList(1024, [index], 'StatusList2021')
  } while (!/[+/]/.test(encoded) && index < 1023)
  t.match(encoded, /[+/]/, 'a list with + or / exists')
  t.match(encoded, /^[A-Za-z0-9+/]+={0,2}$/)
  const bytes = decodeStatusList(encoded)
  t.equal(statusBitAt(bytes, index), true)
  t.equal(statusBitAt(bytes, index - 1), false)
})

t.test('rejects indices outside the list', async (t) => {
  t.throws(() => encodeStatusList(8, [8], 'StatusList2021'), RangeError)
  t.throws(() => encodeStatusList(12, [], 'StatusList2021'), TypeError)
  t.throws(() => statusBitAt(new Uint8Array(1), 8), RangeError)
})
