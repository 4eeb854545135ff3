import type { Inspection } from './inspection.js'

const kindNames: Record<Inspection['kind'], string> = {
  'self-issued-token': 'Self-Issued ID token',
  'access-token': 'access token',
  presentation: 'verifiable presentation (JWT)',
  credential: 'verifiable credential (JWT)',
  'did-document': 'DID document',
  'status-list': 'status list credential',
  unknown: 'unrecognised input',
}

/**
 * Renders an inspection as lines: the kind, the decoded content as indented JSON, one line per
 * check, the notes, then a summary.
 */
export function formatInspection(inspection: Inspection): string {
  const lines = [`${kindNames[inspection.kind]}`]
  if (Object.keys(inspection.decoded).length > 0) {
    const json = JSON.stringify(inspection.decoded, null, 2).split('\n')
    lines.push('decoded:', ...json.map((line) => `  ${line}`), 'checks:')
  }
  for (const check of inspection.checks) {
    const mark = check.ok ? 'ok  ' : 'FAIL'
    lines.push(`  ${mark} ${check.name}${check.detail === '' ? '' : `: ${check.detail}`}`)
  }
  for (const note of inspection.notes) lines.push(`  note ${note}`)
  const failed = inspection.checks.filter((check) => !check.ok).length
  lines.push(
    failed === 0
      ? `${inspection.checks.length} checks passed`
      : `${failed} of ${inspection.checks.length} checks failed`,
  )
  return `${lines.join('\n')}\n`
}
