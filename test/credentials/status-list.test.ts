import { gunzipSync } from 'node:zlib'
import t from 'tap'
import { base64url } from 'jose'
import { decodeStatusList, encodeStatusList, statusBitAt } from '../../src/credentials/status-list.js'

t.test('bit 0 is the most significant bit of byte 0', async (t) => {
  const encoded = encodeStatusList(16, [0, 9, 15], 'StatusList2021')
  const bytes = gunzipSync(base64url.decode(encoded))
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

t.test('StatusList2021 lists are plain base64url', async (t) => {
  const encoded = encodeStatusList(64, [3], 'StatusList2021')
  t.notMatch(encoded, /[+/=]/)
  t.equal(statusBitAt(decodeStatusList(encoded), 3), true)
})

t.test('rejects indices outside the list', async (t) => {
  t.throws(() => encodeStatusList(8, [8], 'StatusList2021'), RangeError)
  t.throws(() => encodeStatusList(12, [], 'StatusList2021'), TypeError)
  t.throws(() => statusBitAt(new Uint8Array(1), 8), RangeError)
})
