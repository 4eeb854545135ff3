#!/usr/bin/env node
// libuv sizes its thread pool once, at its first task, so the default is set before any module
// loads. The pool signs STS tokens beside the event loop. Two threads beat four on a small node:
// more signing threads than free cores preempt the event loop, which then serves fewer requests.
process.env.UV_THREADPOOL_SIZE ??= '2'

const { main } = await import('../dist/cli/main.js')

// A reader that closes early, such as `dcp-identity config | head`, is not a failure.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

process.exitCode = await main(process.argv.slice(2))
