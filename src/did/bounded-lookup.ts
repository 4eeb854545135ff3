import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { threadPool } from '../runtime/thread-pool.js'

/** A function that resolves a host name to its addresses. Its signal cancels a lookup that has not started. */
export type HostLookup = (hostname: string, signal?: AbortSignal) => Promise<readonly LookupAddress[]>

/** Resolves through getaddrinfo, as `node:http` does by default, on a thread of libuv's pool. */
export const getaddrinfoLookup = (hostname: string): Promise<readonly LookupAddress[]> =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (error) reject(error)
      else resolve(addresses)
    })
  })

/**
 * Runs at most `maxConcurrent` lookups at once and queues the others. getaddrinfo occupies a pool
 * thread until the name server responds or its own timeout passes, whatever time limit the caller
 * set, and the same pool signs STS tokens. A name server that never responds, which anyone can
 * point a DID at, would otherwise take every thread and stall whatever else the pool runs. A
 * queued lookup whose signal aborts leaves the queue without running.
 */
export function boundedLookup(maxConcurrent: number, lookup: (hostname: string) => Promise<readonly LookupAddress[]> = getaddrinfoLookup): HostLookup {
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new RangeError(`maxConcurrent must be a positive integer, not ${maxConcurrent}`)
  let running = 0
  const queue: Array<() => void> = []

  const release = (): void => {
    const next = queue.shift()
    if (next) next()
    else running -= 1
  }

  const slot = (signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    if (running < maxConcurrent) {
      running += 1
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      // The slot passes straight from the lookup that ends to this one, so `running` stays as is.
      const start = (): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = (): void => {
        const index = queue.indexOf(start)
        if (index >= 0) queue.splice(index, 1)
        reject(abortReason(signal!))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      queue.push(start)
    })
  }

  return async (hostname, signal) => {
    await slot(signal)
    try {
      return await lookup(hostname)
    } finally {
      release()
    }
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the lookup was abandoned before it started')
}

/**
 * The lookup of outgoing DID, status list and delivery requests. Lookups leave one pool thread
 * free when the pool has two or more. With the single thread that the image and the Helm chart
 * set, one lookup runs at a time and STS signatures move to the event loop while it runs.
 * NOTE: getaddrinfo cannot be cancelled, so one lookup of a name server that never responds keeps
 * the only DNS slot until the resolver gives up, and other new names wait that long. A resolver
 * that does not use the pool, such as c-ares through `dns.Resolver`, would lift that limit.
 */
export const systemLookup: HostLookup = boundedLookup(Math.max(1, threadPool.size - 1), (hostname) =>
  threadPool.hold(() => getaddrinfoLookup(hostname)),
)
