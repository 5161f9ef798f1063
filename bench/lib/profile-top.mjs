// Summarises a .cpuprofile (from node --cpu-prof): the functions with the most self time, and the
// most inclusive time. Usage: node bench/lib/profile-top.mjs <file.cpuprofile> [N] [--under=NAME]
// With --under=NAME only the samples whose stack holds a function named NAME count (the garbage
// collector's samples have no stack: they are left out then).
import fs from "node:fs"

const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"))
const under = process.argv.find((a) => a.startsWith("--under="))?.slice("--under=".length)
const file = positional[0]
const topN = Number(positional[1] ?? 25)
const prof = JSON.parse(fs.readFileSync(file, "utf8"))
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const self = new Map()
const dt = prof.timeDeltas
const counts = new Map()
for (let i = 0; i < prof.samples.length; i++)
  counts.set(prof.samples[i], (counts.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0))
const parent = new Map()
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const label = (n) => {
  const f = n.callFrame
  const url = f.url.replace(/^.*\/(packages|node_modules)\//, "$1/").replace(/^file:\/\//, "")
  return `${f.functionName || "(anonymous)"} ${url}:${f.lineNumber + 1}`
}
const inclusive = new Map()
let total = 0
const within = (id) => {
  for (let p = id; p !== undefined; p = parent.get(p)) if (byId.get(p).callFrame.functionName === under) return true
  return false
}
for (const [id, us] of counts) {
  if (under !== undefined && !within(id)) continue
  total += us
  const n = byId.get(id)
  const k = label(n)
  self.set(k, (self.get(k) ?? 0) + us)
  const seen = new Set()
  for (let p = id; p !== undefined; p = parent.get(p)) {
    const kk = label(byId.get(p))
    if (seen.has(kk)) continue
    seen.add(kk)
    inclusive.set(kk, (inclusive.get(kk) ?? 0) + us)
  }
}
const show = (m, title) => {
  console.log(`\n${title} (total ${(total / 1000).toFixed(0)} ms)`)
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, topN)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`)
  }
}
show(self, "self time")
show(inclusive, "inclusive time")
