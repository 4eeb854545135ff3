import { availableParallelism } from 'node:os'
import t from 'tap'
import { v8PoolSize } from '../../src/config/v8-pool-size.js'

const coresLessOne = Math.max(availableParallelism() - 1, 1)

t.test('without the option Node starts four threads', async (t) => {
  t.equal(v8PoolSize(undefined, []), 4)
  t.equal(v8PoolSize('--enable-source-maps --max-old-space-size=192', ['--inspect']), 4)
})

t.test('reads the option from NODE_OPTIONS', async (t) => {
  t.equal(v8PoolSize('--enable-source-maps --v8-pool-size=1', []), 1)
  t.equal(v8PoolSize('--v8-pool-size 2', []), 2, 'value as the next argument')
  t.equal(v8PoolSize('--v8_pool_size=3', []), 3, 'underscores in the name')
  t.equal(v8PoolSize('--v8-pool-size="2" --enable-source-maps', []), 2, 'quoted value')
  t.equal(v8PoolSize('  --v8-pool-size=1  --v8-pool-size=6  ', []), 6, 'the last one wins')
  t.equal(v8PoolSize('--v8-pool-size=1\t--v8-pool-size=6', []), 1, 'only spaces separate arguments')
  t.equal(v8PoolSize('--v8-pool-size "" 3', []), 3, 'empty quotes add no argument')
})

t.test('the command line wins over NODE_OPTIONS', async (t) => {
  t.equal(v8PoolSize('--v8-pool-size=2', ['--v8-pool-size=1']), 1)
  t.equal(v8PoolSize('--v8-pool-size=2', ['--max-old-space-size=96']), 2)
  t.equal(v8PoolSize(undefined, ['--v8-pool-size', '5']), 5)
})

t.test('reads the leading integer as Node does', async (t) => {
  t.equal(v8PoolSize('--v8-pool-size=3x', []), 3)
  t.equal(v8PoolSize('--v8-pool-size=+2', []), 2)
  t.equal(v8PoolSize('--v8-pool-size=" 2"', []), 2, 'leading space inside quotes')
  t.equal(v8PoolSize('--v8-pool-size=4294967298', []), 2, 'cut to 32 bits')
  t.equal(v8PoolSize('--v8-pool-size=-4294967294', []), 2, 'negative, cut to 32 bits')
})

t.test('below one means one thread fewer than the cores', async (t) => {
  t.equal(v8PoolSize('--v8-pool-size=0', []), coresLessOne)
  t.equal(v8PoolSize('--v8-pool-size=-3', []), coresLessOne)
  t.equal(v8PoolSize('--v8-pool-size=many', []), coresLessOne, 'no number')
  t.equal(v8PoolSize('--v8-pool-size=\u00a02', []), coresLessOne, 'a no-break space before the number')
  t.equal(v8PoolSize('--v8-pool-size=4294967296', []), coresLessOne, '2^32 cuts to 0')
  t.equal(v8PoolSize('--v8-pool-size=99999999999999999999', []), coresLessOne, 'saturated, cut to -1')
})

t.test('another option that starts alike is not the pool size', async (t) => {
  t.equal(v8PoolSize('--v8-pool-sizes=1', []), 4)
  t.equal(v8PoolSize('__v8_pool_size=2', []), 4, 'underscores count only after the leading dashes')
})
