#!/usr/bin/env node
// The `xueshi` bin: runs the command line on process.argv and sets the exit code (see docs/cli.md).
import { run } from "./Main.js"

// `xueshi report … | head`: a closed pipe ends the output quietly.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0)
  throw e
})

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`xueshi: internal error: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exitCode = 70
  }
)
