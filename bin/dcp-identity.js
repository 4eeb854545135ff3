#!/usr/bin/env node
import { main } from '../dist/cli/main.js'

// A reader that closes early, such as `dcp-identity config | head`, is not a failure.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

process.exitCode = await main(process.argv.slice(2))
