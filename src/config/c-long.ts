/** The range of C's 64-bit long and long long, where strtol and strtoll saturate. */
const longMaximum = 2n ** 63n - 1n
const longMinimum = -(2n ** 63n)

/**
 * Parses the leading integer of `value` as glibc's `atoi` and `atoll` do through strtol and
 * strtoll: ASCII whitespace, an optional sign, then digits, saturated to 64 bits. No number is 0.
 */
export function leadingCLong(value: string): bigint {
  const digits = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(value)?.[1]
  if (digits === undefined) return 0n
  const long = BigInt(digits)
  if (long > longMaximum) return longMaximum
  if (long < longMinimum) return longMinimum
  return long
}
