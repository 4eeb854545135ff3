// Rewrites the configuration table of README.md from the variable definitions (needs `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs'
import { renderVariablesTable } from '../dist/config/render-table.js'

const path = new URL('../README.md', import.meta.url)
const readme = readFileSync(path, 'utf8')
const pattern = /(<!-- config:start -->)[\s\S]*?(<!-- config:end -->)/
if (!pattern.test(readme)) throw new Error('README.md has no <!-- config:start --> ... <!-- config:end --> block')
writeFileSync(path, readme.replace(pattern, `$1\n${renderVariablesTable()}\n$2`))
