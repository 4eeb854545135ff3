/** Parsers for environment values; each throws a `TypeError` whose message states the problem. */

export type Parser<T> = (raw: string) => T

export function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) {
      throw new TypeError(`"${raw}" is not an integer; expected an integer from ${min} to ${max}`)
    }
    const value = Number(raw)
    if (value < min || value > max) {
      throw new TypeError(`${value} is out of range; expected an integer from ${min} to ${max}`)
    }
    return value
  }
}

export const port: Parser<number> = integer(0, 65535)

export const boolean: Parser<boolean> = (raw) => {
  const value = raw.trim().toLowerCase()
  if (['true', '1', 'yes'].includes(value)) return true
  if (['false', '0', 'no'].includes(value)) return false
  throw new TypeError(`"${raw}" is not a boolean; expected true or false`)
}

export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const value = raw.trim() as T
    if (!values.includes(value)) {
      throw new TypeError(`"${raw}" is not allowed; expected one of ${values.join(', ')}`)
    }
    return value
  }
}

export const nonEmpty: Parser<string> = (raw) => {
  if (raw.trim() === '') throw new TypeError('the value is empty; expected a non-empty string')
  return raw
}

export function httpUrl(options: { allowPath: boolean }): Parser<string> {
  return (raw) => {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new TypeError(`"${raw}" is not a URL; expected an absolute http or https URL`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`"${raw}" has scheme "${url.protocol}"; expected http or https`)
    }
    if (!options.allowPath && url.pathname !== '/') {
      throw new TypeError(`"${raw}" has a path; expected scheme, host and port only`)
    }
    return raw.replace(/\/+$/, '')
  }
}

export const postgresUrl: Parser<string> = (raw) => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new TypeError('the value is not a URL; expected postgres://user:password@host:5432/database')
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new TypeError(
      `the scheme is "${url.protocol}"; expected postgres://user:password@host:5432/database`,
    )
  }
  return raw
}

export const secret: Parser<string> = (raw) => {
  const value = raw.trim()
  if (value.length < 32) {
    throw new TypeError(`the value has ${value.length} characters; expected at least 32`)
  }
  return value
}
