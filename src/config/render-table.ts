import { variables } from './variables.js'

/** Renders every environment variable as the Markdown table of the README. */
export function renderVariablesTable(): string {
  const rows = Object.entries(variables).map(([name, spec]) => {
    const fallback = 'default' in spec && spec.default !== undefined ? `\`${String(spec.default)}\`` : 'unset'
    return `| \`${name}\` | ${fallback} | ${spec.unit} | ${spec.description} |`
  })
  return ['| Variable | Default | Unit | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n')
}
