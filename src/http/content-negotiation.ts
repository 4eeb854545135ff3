/**
 * Picks the first of `offered` media types that the `Accept` header prefers, honouring q values,
 * `type/*` and `*\/*` ranges; parameters other than q are tolerated and ignored. An absent or
 * empty header accepts the first offer. Returns undefined when nothing offered is acceptable.
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

/** The most specific range that covers a media type, with its quality. */
function bestRangeFor(mediaType: string, ranges: readonly MediaRange[]): { quality: number; specificity: number } | undefined {
  const [type, subtype] = mediaType.split('/')
  let best: { quality: number; specificity: number } | undefined
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' ? 0 : -1
    if (specificity < 0) continue
    if (best === undefined || specificity > best.specificity) best = { quality: range.quality, specificity }
  }
  return best
}
