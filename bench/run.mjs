// Placeholder benchmark runner. Accepts `--smoke` (the CI's quick run) like the real one will.
const smoke = process.argv.includes("--smoke")
console.log(`no benchmarks yet${smoke ? " (--smoke)" : ""}`)
