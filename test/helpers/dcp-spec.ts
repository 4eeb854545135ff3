import { readFileSync } from 'node:fs'

/**
 * Reads a file of the official DCP specification artifacts (schemas, examples, contexts), kept in
 * the `shared/dcp-spec` folder beside the checkout.
 */
export function readSpecJson<T = unknown>(path: string): T {
  const url = new URL(`../../../shared/dcp-spec/${path}`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as T
}
