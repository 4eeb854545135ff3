import t from 'tap'
import { HostAllowList } from '../../src/did/host-allow-list.js'
import { guardedPostJson, OutboundRequestError } from '../../src/issuer/guarded-post.js'
import { rejectionOf } from '../helpers/errors.js'

t.test('delivery with hung DNS times out', async (t) => {
  const lookup = async (): Promise<never> => new Promise(() => {})
  const options = { allowList: new HostAllowList([]), timeoutMs: 50, lookup }
  const started = performance.now()
  const error = await rejectionOf(guardedPostJson(new URL('https://slow-dns.example.test/credentials'), { type: 'CredentialMessage' }, {}, options))
  t.type(error, OutboundRequestError)
  t.equal(error.message, 'POST https://slow-dns.example.test/credentials failed: timed out after 50 ms')
  t.ok(performance.now() - started < 5000, 'the caller is not held by the lookup')
})
