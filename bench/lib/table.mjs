// The results table and the targets table of a run (bench/run.mjs), as markdown.
import { median } from "./stats.mjs"

/** A rate: `1.23 M`, `4.5 k`, `678`. */
export const fmtRate = (v) =>
  v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(0)
/** A duration in ms: `1.23 s`, `45 ms`, `6.78 ms`. */
export const fmtMs = (v) =>
  v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${v.toFixed(0)} ms` : `${v.toFixed(2)} ms`

/**
 * `{ table, targets }` of the aggregated `results` (a Map of `${row}|${subject}` → row), the
 * `skipped` adapters, the `plan` (bench/lib/plan.mjs) and whether this is the smoke run.
 */
export const renderTables = ({ results, skipped, plan, smoke }) => {
  const fmtValue = (row, v) => (plan.TIME_ROWS.has(row) ? fmtMs(v) : `${fmtRate(v)}/s`)
  const floorStats = (row, id) => results.get(`${row}|${id}`)?.stats
  const ratioOf = (row, value, floorValue) =>
    floorValue === undefined || value === undefined
      ? undefined
      : plan.TIME_ROWS.has(row)
        ? floorValue / value
        : value / floorValue
  const fmtUs = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`)

  const notesOf = (r) => {
    const s = r.stats
    const n = []
    if (s.p50 !== undefined) n.push(`p50 ${fmtUs(s.p50)}, p99 ${fmtUs(s.p99)}`)
    if (s.conflicts !== undefined) n.push(`${s.conflicts} conflicts`)
    if (r.row === "W3") n.push(s.checksOk ? "versions 1..n ✓, replay exactly once ✓" : "CHECK FAILED")
    else if (!s.checksOk) n.push("CHECK FAILED")
    if (s.checksumOk !== undefined) {
      const ps = s.digests[0]?.projections?.checksum
      const what =
        ps === undefined ? `checksum ${s.checksum}` : `checksum ${s.checksum}, projection states ${ps.slice(0, 8)}`
      n.push(s.checksumOk ? `${what} = floor ✓` : `${what} ≠ floor ✗`)
    }
    if (r.row === "D1 replay") {
      if (s.wallMs !== undefined) n.push(`wall ${fmtMs(s.wallMs)} incl. cold open ${fmtMs(s.openMs)}`)
      else n.push(`wall ${fmtMs(r.reps.map((x) => x.ms).sort((a, b) => a - b)[r.reps.length >> 1])}`)
      n.push(`peak RSS ${Math.round(s.rssMiB)} MiB`)
    }
    if (r.row === "D2 recovery" && s.cut !== undefined) {
      const q = s.quarantined === undefined ? "" : `; the open reports the torn append, ${s.quarantined} B quarantined`
      n.push(`tail cut by ${s.cut} B${q}`)
    }
    if (r.row === "D2 recovery" && r.kind === "adapter" && s.checksOk) n.push("store = imported events ✓")
    if (r.errors.length > 0) n.push(`${r.errors.length} rep(s) failed: ${r.errors[0]}`)
    return n.join("; ")
  }

  const lines = []
  lines.push("| workload | subject | median [min–max] | × floor | notes |")
  lines.push("|---|---|---|---|---|")
  for (const row of plan.ROWS) {
    const rowsHere = [...results.values()].filter((r) => r.row === row)
    if (rowsHere.length === 0) continue
    const floors = rowsHere.filter((r) => r.kind === "floor")
    const adaptersHere = rowsHere.filter((r) => r.kind === "adapter")
    for (const r of [...floors, ...adaptersHere]) {
      const name = r.kind === "floor" ? (plan.FLOOR_LABELS[r.subject] ?? r.subject) : r.subject
      if (r.stats === undefined) {
        const err = r.errors[0] ?? "no result"
        lines.push(`| ${row} | ${name} | ${err.startsWith("skipped:") ? err : `error: ${err}`} | | |`)
        continue
      }
      const s = r.stats
      const cell = `${fmtValue(row, s.median)} [${fmtValue(row, s.min)}–${fmtValue(row, s.max)}]`
      let ratio = "floor"
      if (r.kind === "adapter") {
        const f = floorStats(row, r.floor)
        const x = ratioOf(row, s.median, f?.median)
        ratio =
          x === undefined
            ? `– (${plan.FLOOR_LABELS[r.floor]?.replace("floor: ", "") ?? "no floor"}: n/a)`
            : `${x.toFixed(2)}× ${plan.FLOOR_LABELS[r.floor].replace("floor: ", "")}`
      }
      lines.push(`| ${row} | ${name} | ${cell} | ${ratio} | ${notesOf(r)} |`)
    }
  }
  for (const s of skipped) lines.push(`| all | ${s.name} | skipped: ${s.name} (${s.reason}) | | |`)
  const table = lines.join("\n")

  // --- targets ---------------------------------------------------------------------------------
  const targetLines = ["| workload | adapter | target | measured | verdict |", "|---|---|---|---|---|"]
  for (const t of plan.TARGETS) {
    const r = results.get(`${t.row}|${t.adapter}`)
    let measured = "–"
    let verdict = "not run"
    if (r?.stats !== undefined) {
      const s = r.stats
      if (t.groupCommit) {
        const grouped = results.get("W3|file (grouped)")?.stats
        const w1 = results.get("W1|file (always)")?.stats
        const correct = s.checksOk && (grouped?.checksOk ?? false)
        if (grouped !== undefined && w1 !== undefined) {
          measured = `grouped W3 ${fmtRate(grouped.median)}/s vs always W1 ${fmtRate(w1.median)}/s; always W3 ${fmtRate(s.median)}/s`
          verdict = correct && grouped.median > w1.median ? "met" : "missed"
        } else {
          measured = `always W3 ${fmtRate(s.median)}/s (grouped or W1 missing)`
          verdict = "not run"
        }
      } else if (t.maxWallMs !== undefined) {
        const wall = s.wallMs ?? median(r.reps.map((x) => x.ms))
        measured = `wall ${fmtMs(wall)}, peak RSS ${Math.round(s.rssMiB)} MiB`
        verdict = wall <= t.maxWallMs && s.rssMiB <= t.maxRssMiB ? "met" : "missed"
      } else {
        const f = floorStats(t.row, r.floor)
        const x = ratioOf(t.row, s.median, f?.median)
        measured = x === undefined ? "no floor" : `${x.toFixed(2)}×`
        verdict =
          x !== undefined && x >= t.ratio && (!t.correct || s.checksOk) ? "met" : x === undefined ? "not run" : "missed"
      }
      if (smoke && verdict !== "not run") verdict += " (smoke sizes: not meaningful)"
    } else if (skipped.some((s) => s.name === t.adapter)) verdict = "adapter not available"
    targetLines.push(`| ${t.row} | ${t.adapter} | ${t.text} | ${measured} | ${verdict} |`)
  }
  const targets = targetLines.join("\n")
  return { table, targets }
}
