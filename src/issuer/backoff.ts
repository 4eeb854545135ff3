/**
 * Delay before the next attempt after `attempts` failed ones: `baseSeconds` doubled per earlier
 * failure, plus up to 50 % random jitter so that deliveries that failed together do not retry
 * together, and never more than `maxSeconds`.
 */
export function retryDelayMs(attempts: number, baseSeconds: number, maxSeconds: number, random = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30)
  const delaySeconds = Math.min(baseSeconds * 2 ** exponent, maxSeconds)
  return Math.min(delaySeconds * (1 + random() * 0.5), maxSeconds) * 1000
}
