/** libuv's thread count when UV_THREADPOOL_SIZE is unset, and its upper bound. */
const libuvDefaultSize = 4
const libuvMaximumSize = 1024

/**
 * Returns the size of libuv's thread pool, parsing UV_THREADPOOL_SIZE as libuv does: the leading
 * integer counts, 0 or no number means 1, and a value outside the range means the upper bound.
 */
export function threadPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.UV_THREADPOOL_SIZE
  if (value === undefined) return libuvDefaultSize
  const parsed = Number.parseInt(value.trim(), 10)
  if (Number.isNaN(parsed) || parsed === 0) return 1
  return parsed < 0 || parsed > libuvMaximumSize ? libuvMaximumSize : parsed
}
