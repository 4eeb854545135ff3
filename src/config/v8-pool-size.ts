import { availableParallelism } from 'node:os'
import { leadingCLong } from './c-long.js'

/** Node's worker count for V8's platform when `--v8-pool-size` is not given. */
const nodeDefaultSize = 4

/**
 * Returns the number of threads that Node gives V8 for garbage collection helpers and background
 * compilation, from `--v8-pool-size` in NODE_OPTIONS or on the command line. The command line is
 * read after NODE_OPTIONS, so its value wins, and the last of several wins. Node reads the value's
 * leading integer into a 32-bit int and takes anything below 1, including no number, as one
 * thread fewer than the available cores.
 */
export function v8PoolSize(nodeOptions: string | undefined = process.env.NODE_OPTIONS, execArgv: readonly string[] = process.execArgv): number {
  const args = [...nodeOptionsArguments(nodeOptions ?? ''), ...execArgv]
  let value: string | undefined
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = splitOption(args[i]!)
    if (name !== '--v8-pool-size') continue
    value = inline ?? args[++i]
  }
  if (value === undefined) return nodeDefaultSize

  const size = Number(BigInt.asIntN(32, leadingCLong(value)))
  return size < 1 ? Math.max(availableParallelism() - 1, 1) : size
}

/** Node accepts `_` for `-` in option names after the leading `--`, so `--v8_pool_size` is the same option. */
function splitOption(arg: string): [string, string | undefined] {
  const equals = arg.indexOf('=')
  const name = equals === -1 ? arg : arg.slice(0, equals)
  const normalized = name.startsWith('--') ? `--${name.slice(2).replaceAll('_', '-')}` : name
  return [normalized, equals === -1 ? undefined : arg.slice(equals + 1)]
}

/**
 * Splits NODE_OPTIONS as Node does: at spaces outside double quotes, with `\` escaping inside
 * them. Quotes only switch quoting, so `""` adds no argument of its own.
 */
function nodeOptionsArguments(value: string): string[] {
  const args: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!
    if (quoted && char === '\\' && i + 1 < value.length) current += value[++i]
    else if (char === '"') quoted = !quoted
    else if (!quoted && char === ' ') {
      if (current !== '') args.push(current)
      current = ''
    } else current += char
  }
  if (current !== '') args.push(current)
  return args
}
