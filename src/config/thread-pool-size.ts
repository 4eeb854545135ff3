import { leadingCLong } from './c-long.js'

/** libuv's thread count when UV_THREADPOOL_SIZE is unset, and its upper bound. */
const libuvDefaultSize = 4
const libuvMaximumSize = 1024

/**
 * Returns the size of libuv's thread pool, parsing UV_THREADPOOL_SIZE as libuv does with C's
 * `atoi` into an unsigned int: ASCII whitespace, then the leading integer, saturated to a 64-bit
 * long and cut to 32 bits. 0 or no number means 1, and more than the upper bound means the bound.
 */
export function threadPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.UV_THREADPOOL_SIZE
  if (value === undefined) return libuvDefaultSize
  const size = Number(BigInt.asUintN(32, leadingCLong(value)))
  if (size === 0) return 1
  return Math.min(size, libuvMaximumSize)
}
