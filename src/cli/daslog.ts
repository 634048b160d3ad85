#!/usr/bin/env node
import { run } from './run.js'

process.exitCode = await run(
  process.argv.slice(2),
  (line) => { process.stdout.write(line + '\n') },
  (line) => { process.stderr.write(line + '\n') }
)
