/**
 * Picks the `offered` media type that the `Accept` header prefers, honouring q values and the
 * ranges `type/*` and `*\/*`. Parameters other than q are ignored. An absent or empty header
 * accepts the first offer, and undefined means that nothing offered is acceptable.
 * @see https://www.rfc-editor.org/rfc/rfc9110#name-accept
 */
export function negotiateMediaType(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (accept === undefined || accept.trim() === '') return offered[0]
  const ranges = accept.split(',').map(parseRange).filter((range) => range !== undefined)
  let best: { type: string; quality: number; specificity: number } | undefined
  for (const type of offered) {
    const match = bestRangeFor(type, ranges)
    if (match === undefined || match.quality <= 0) continue
    if (best === undefined || match.quality > best.quality) best = { type, ...match }
  }
  return best?.type
}

interface MediaRange {
  type: string
  subtype: string
  quality: number
}

function parseRange(text: string): MediaRange | undefined {
  const [mediaType, ...parameters] = text.split(';').map((part) => part.trim().toLowerCase())
  const [type, subtype] = (mediaType ?? '').split('/')
  if (!type || !subtype) return undefined
  let quality = 1
  for (const parameter of parameters) {
    const [name, value] = parameter.split('=').map((part) => part.trim())
    if (name === 'q') quality = Number.isFinite(Number(value)) ? Number(value) : 0
  }
  return { type, subtype, quality }
}

/** Finds the most specific range that covers a media type and returns its quality. */
function bestRangeFor(mediaType: string, ranges: readonly MediaRange[]): { quality: number; specificity: number } | undefined {
  const [type, subtype] = mediaType.split('/')
  let best: { quality: number; specificity: number } | undefined
  for (const range of ranges) {
    const specificity = specificityOf(range, type, subtype)
    if (specificity < 0) continue
    if (best === undefined || specificity > best.specificity) best = { quality: range.quality, specificity }
  }
  return best
}

/** Returns 2 for an exact match, 1 for `type/*`, 0 for `*\/*` and -1 when the range does not cover the type. */
function specificityOf(range: MediaRange, type: string | undefined, subtype: string | undefined): number {
  if (range.type === type && range.subtype === subtype) return 2
  if (range.type === type && range.subtype === '*') return 1
  if (range.type === '*') return 0
  return -1
}
