import t from 'tap'
import { leadingCLong } from '../../src/config/c-long.js'

t.test('leading integer after ASCII whitespace', async (t) => {
  t.equal(leadingCLong('42'), 42n)
  t.equal(leadingCLong(' \t\n\v\f\r7 threads'), 7n)
  t.equal(leadingCLong('+3'), 3n)
  t.equal(leadingCLong('-5x'), -5n)
})

t.test('no number is zero', async (t) => {
  t.equal(leadingCLong(''), 0n)
  t.equal(leadingCLong('many'), 0n)
  t.equal(leadingCLong('\u00a02'), 0n, 'a no-break space is not C whitespace')
})

t.test('saturates to 64 bits', async (t) => {
  t.equal(leadingCLong('99999999999999999999'), 2n ** 63n - 1n)
  t.equal(leadingCLong('-99999999999999999999'), -(2n ** 63n))
})
