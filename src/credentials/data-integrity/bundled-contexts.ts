import { readFileSync } from 'node:fs'
import { AppError } from '../../errors/app-error.js'

/** Folder of the vendored contexts, written by `tools/vendor-jsonld-contexts.mjs`. */
const contextFolder = new URL('../../../jsonld-contexts/', import.meta.url)

interface IndexEntry {
  file: string
  source: string
}

let index: Map<string, IndexEntry> | undefined
const parsed = new Map<string, unknown>()

/**
 * Returns the parsed JSON-LD context published at `url`, read from the vendored copy. Throws
 * ERR_JSONLD_CONTEXT_UNKNOWN for any other URL, because contexts are never fetched at run time.
 */
export function bundledContext(url: string): unknown {
  const cached = parsed.get(url)
  if (cached !== undefined) return cached
  const entry = contextIndex().get(url)
  if (entry === undefined) {
    throw new AppError(
      'ERR_JSONLD_CONTEXT_UNKNOWN',
      `the JSON-LD context ${JSON.stringify(url)} is not bundled with this service; only these are: ${[...contextIndex().keys()].join(', ')}`,
    )
  }
  const document = Object.freeze(JSON.parse(readFileSync(new URL(entry.file, contextFolder), 'utf8')) as unknown)
  parsed.set(url, document)
  return document
}

function contextIndex(): Map<string, IndexEntry> {
  index ??= new Map(Object.entries(JSON.parse(readFileSync(new URL('index.json', contextFolder), 'utf8')) as Record<string, IndexEntry>))
  return index
}
