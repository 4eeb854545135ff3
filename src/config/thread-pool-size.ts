/** libuv's thread count when UV_THREADPOOL_SIZE is unset, and its upper bound. */
const libuvDefaultSize = 4
const libuvMaximumSize = 1024
/** The range of C's 64-bit long, where strtol, and so atoi, saturates. */
const longMaximum = 2n ** 63n - 1n
const longMinimum = -(2n ** 63n)

/**
 * Returns the size of libuv's thread pool, parsing UV_THREADPOOL_SIZE as libuv does with C's
 * `atoi` into an unsigned int: ASCII whitespace, then the leading integer, saturated to a 64-bit
 * long and cut to 32 bits. 0 or no number means 1, and more than the upper bound means the bound.
 */
export function threadPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.UV_THREADPOOL_SIZE
  if (value === undefined) return libuvDefaultSize
  const digits = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(value)?.[1]
  if (digits === undefined) return 1
  let long = BigInt(digits)
  if (long > longMaximum) long = longMaximum
  if (long < longMinimum) long = longMinimum
  const size = Number(BigInt.asUintN(32, long))
  if (size === 0) return 1
  return Math.min(size, libuvMaximumSize)
}
