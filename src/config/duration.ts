import type { Parser } from './parsers.js'

const secondsPerUnit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 }

/**
 * Parses a duration such as `90s`, `30m`, `12h` or `7d`, or a bare number of seconds, into
 * seconds, within `maxSeconds`.
 */
export function duration(maxSeconds: number): Parser<number> {
  return (raw) => {
    const match = /^(\d+)\s*([smhd]?)$/.exec(raw.trim())
    if (!match) throw new TypeError(`"${raw}" is not a duration; expected a number with s, m, h or d, such as 7d`)
    const seconds = Number(match[1]) * secondsPerUnit[match[2] || 's']!
    if (seconds > maxSeconds) throw new TypeError(`"${raw}" is longer than the maximum of ${maxSeconds} seconds`)
    return seconds
  }
}
