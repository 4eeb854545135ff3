import t from 'tap'
import { retryDelayMs } from '../../src/issuer/backoff.js'

t.test('retry delay doubles and is capped', async (t) => {
  const noJitter = () => 0
  t.equal(retryDelayMs(1, 5, 3600, noJitter), 5000)
  t.equal(retryDelayMs(2, 5, 3600, noJitter), 10_000)
  t.equal(retryDelayMs(4, 5, 3600, noJitter), 40_000)
  t.equal(retryDelayMs(40, 5, 3600, noJitter), 3_600_000)
})

t.test('jitter adds up to half the delay', async (t) => {
  t.equal(retryDelayMs(1, 4, 3600, () => 0.999_999), 4000 * 1.499_999_5)
  t.equal(retryDelayMs(30, 4, 100, () => 0.9), 100_000, 'jitter never passes the cap')
})
