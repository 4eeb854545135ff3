/** Describes the distance between two instants in the largest whole unit, such as "3 minutes". */
export function describeDuration(milliseconds: number): string {
  const seconds = Math.round(Math.abs(milliseconds) / 1000)
  const units: [string, number][] = [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ]
  for (const [unit, size] of units) {
    if (seconds >= size) {
      const count = Math.floor(seconds / size)
      return `${count} ${unit}${count === 1 ? '' : 's'}`
    }
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`
}

/** Returns " (3 minutes ago)" or " (in 3 minutes)" for an instant relative to now. */
export function relativeTo(instantMs: number, nowMs: number): string {
  const distance = describeDuration(instantMs - nowMs)
  return instantMs <= nowMs ? ` (${distance} ago)` : ` (in ${distance})`
}
