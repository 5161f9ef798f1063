// The benchmark harness: `pnpm bench` (full) or `pnpm bench --smoke` (tiny sizes, CI).
//
// Every workload runs on every available adapter and on its floors, each repetition in a fresh
// child process (bench/lib/child.mjs), then one table of median [min–max] with each row's ratio
// to its floor measured in the same run. Exit code: 0 when the harness worked (an adapter that
// is missing is skipped, one that fails prints an error row), 1 when a correctness check failed
// or the harness itself broke (a floor failed, data did not validate).
//
// Options: --smoke, --reps=N, --only=W1,W3,D1 (workloads), --adapters=memory,file (name
// prefixes; "none" for floors only), --no-floors, --profile=<adapter> (node --cpu-prof into
// bench/results/tmp/prof), --keep (keep the stores), --write-docs (update docs/benchmarks.md),
// --timeout=<seconds per child>, --no-projections (D1 replays through the bench fold only),
// --district=testing (D1 uses @xueshi/testing's District.generateDistrict instead of bench/lib/district.mjs),
// --seed=N, --members=N (district size, for profiling), --self-test (runs a deliberately broken adapter: the run must exit 1),
// --scale (the PostgreSQL scale run of bench/scale.mjs instead: 10 million events; its options after it).
import { spawn, spawnSync } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, "..")
const RESULT_TAG = "@@bench-result "
const started = Date.now()

// --- options -----------------------------------------------------------------------------
const argv = process.argv.slice(2)
const flag = (name) => argv.includes(`--${name}`)
const opt = (name) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`))
  return a === undefined ? undefined : a.slice(name.length + 3)
}
// --scale: the PostgreSQL scale run (bench/scale.mjs, ten million events), not part of the table
if (flag("scale")) {
  const script = new URL("./scale.mjs", import.meta.url).pathname
  const r = spawnSync(process.execPath, ["--max-old-space-size=8192", script, ...argv.filter((a) => a !== "--scale")], {
    stdio: "inherit"
  })
  process.exit(r.status ?? 1)
}
const smoke = flag("smoke")
const reps = Number(opt("reps") ?? (smoke ? 1 : 3))
const only = opt("only")?.split(",")
const adapterFilter = opt("adapters")?.split(",")
const noFloors = flag("no-floors")
const profile = opt("profile")
const keep = flag("keep")
const writeDocs = flag("write-docs")
const timeoutSec = Number(opt("timeout") ?? (smoke ? 120 : 1200))
const seed = Number(opt("seed") ?? 20250301)
const noProjections = flag("no-projections")
const districtGenerator = opt("district") ?? "bench"

const log = (s) => process.stderr.write(`${s}\n`)

// --- the built core must be there: the benchmark runs the dist, not the sources ------------
const coreDist = path.join(ROOT, "packages/core/dist/index.js")
if (!fs.existsSync(coreDist) || flag("build")) {
  log(flag("build") ? "building the packages (pnpm build)…" : "packages/core is not built: running pnpm build…")
  const b = spawnSync("pnpm", ["build"], { cwd: ROOT, stdio: "inherit" })
  if (!fs.existsSync(coreDist)) {
    log("pnpm build did not produce packages/core/dist: cannot benchmark")
    process.exit(1)
  }
  if (b.status !== 0) log("warning: pnpm build failed for some package; the ones not built are skipped")
}

const { adapters: registry, brokenAdapter } = await import("./lib/adapters.mjs")
const adapters = flag("self-test") ? [brokenAdapter] : registry
const plan = await import("./lib/plan.mjs")
const { summarize } = await import("./lib/stats.mjs")
const { fmtMs, fmtRate, renderTables } = await import("./lib/table.mjs")
const { ensureBenchDatabase } = await import("./lib/pg.mjs")
const { checkAppends, makeW1, makeW2, wireRecord, lineOf } = await import("./lib/events.mjs")
const { districtEntries, importPlan } = await import("./lib/district.mjs")
const { findProjections } = await import("./lib/projections.mjs")
const core = await import("@xueshi/core")
const { newestMtime } = await import("./lib/packages.mjs")

const sizes = structuredClone(smoke ? plan.SMOKE : plan.FULL)
if (opt("members") !== undefined) sizes.D1.members = Number(opt("members")) // for profiling; the issue's size is the default
const workloadsToRun = ["W1", "W2", "W3", "W4", "D1"].filter(
  (w) => only === undefined || only.includes(w) || (w === "D1" && only.includes("D2"))
)
const workDir = process.env.XUESHI_BENCH_DIR ?? path.join(HERE, "results", "tmp", `run-${process.pid}`)
fs.mkdirSync(workDir, { recursive: true })

let harnessBroken = false
let correctnessFailed = false
const problems = []

// --- environment ----------------------------------------------------------------------------
const cpuModel = (() => {
  try {
    return /model name\s*:\s*(.*)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model
  } catch {
    return os.cpus()[0]?.model
  }
})()
const pkgVersion = (p) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, p), "utf8")).version
  } catch {
    return "?"
  }
}
const env = {
  date: new Date().toISOString(),
  mode: smoke ? "smoke" : "full",
  reps,
  seed,
  nproc: os.availableParallelism?.() ?? os.cpus().length,
  memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  cpu: cpuModel,
  node: process.version,
  effect: pkgVersion("node_modules/effect/package.json"),
  pg: pkgVersion("bench/node_modules/pg/package.json"),
  platform: `${os.type()} ${os.release()}`
}
const stale = newestMtime(path.join(ROOT, "packages/core/src")) > fs.statSync(coreDist).mtimeMs
if (stale) log("warning: packages/core/src is newer than its dist; run pnpm build to benchmark the current sources")

const pgInfo =
  noFloors && !adapters.some((a) => a.floor === "pg")
    ? { ok: false, reason: "not needed" }
    : await ensureBenchDatabase()
env.postgres = pgInfo.ok
  ? `${pgInfo.version} (synchronous_commit=${pgInfo.synchronousCommit})`
  : `unavailable: ${pgInfo.reason}`

// --- adapters -------------------------------------------------------------------------------
const skipped = []
const active = []
for (const a of adapters) {
  if (adapterFilter !== undefined && !adapterFilter.some((f) => a.name.startsWith(f))) continue
  let ok = false
  try {
    ok = await a.available()
  } catch (e) {
    a.reason = `probe failed: ${e.message}`
  }
  if (ok) {
    active.push(a)
    if (a.info?.stale) log(`warning: ${a.info.package} sources are newer than its dist (run pnpm build)`)
  } else skipped.push({ name: a.name, reason: a.reason })
}
const { note: projectionNote } = findProjections()
env.projections = noProjections ? "none (--no-projections)" : projectionNote
env.adapters = active.map((a) => `${a.name}: ${a.info.package}@${a.info.version} (${a.info.constructor})`)

log(`xueshi bench, ${env.mode} mode, ${reps} repetition(s), seed ${seed}`)
log(
  `machine: ${env.nproc} cores, ${env.memGiB} GiB, ${env.cpu}; node ${env.node}, effect ${env.effect}, pg ${env.pg}; PostgreSQL ${env.postgres}`
)
for (const s of skipped) log(`skipped: ${s.name} (${s.reason})`)
log(`D1 projections: ${env.projections}`)

// --- the data: validated against the core before anything is timed ---------------------------
try {
  const w1 = checkAppends(makeW1(seed, sizes.W1))
  const w2 = checkAppends(makeW2(seed, sizes.W2))
  env.payloadBytes = Math.round((w1.payloadBytes + w2.payloadBytes) / 2)
  log(
    `data: W1 ${w1.events} events, W2 ${w2.events} events, mean payload ${env.payloadBytes} bytes; every event passes encodeAppend`
  )
} catch (e) {
  log(`data check FAILED: ${e.message}`)
  process.exit(1)
}

/**
 * The district year: each D1 child regenerates it from the seed (bench/lib/district.mjs). Here it
 * is checked once: a small district of the same generator passes the core's LogValidator (the
 * domain rules of event-log-v1), and the full one passes encodeAppend (sampled), which also
 * gives the event count D2 checks the cold open against.
 */
const districtEvents = await (async () => {
  if (!workloadsToRun.includes("D1")) return 0
  const members = sizes.D1.members
  const { testingDistrict } = await import("./lib/datasets.mjs")
  const gen = async (m) =>
    districtGenerator === "testing"
      ? { entries: await testingDistrict({ members: m, seed }), schools: "?", classes: "?", members: m }
      : districtEntries({ members: m, seed })
  const small = await gen(Math.min(members, 600))
  const v = new Map()
  let pos = 0
  const lines = small.entries.map((e) => {
    const ver = (v.get(e.stream) ?? 0) + 1
    v.set(e.stream, ver)
    return lineOf(wireRecord(e.stream, e, ver, ++pos))
  })
  const report = core.LogValidator.validateLines(lines, { keepRecords: false })
  if (!report.ok) {
    log(`district generator check FAILED: ${report.errors.map(core.LogValidator.describeLogError).join("; ")}`)
    process.exit(1)
  }
  const t0 = performance.now()
  const d = await gen(members)
  try {
    checkAppends(importPlan(d.entries), { sampleEvery: smoke ? 1 : 53 })
  } catch (e) {
    log(`district data check FAILED: ${e.message}`)
    process.exit(1)
  }
  log(
    `district: ${members} members, ${d.schools} schools, ${d.classes} classes, ${d.entries.length} events (generated and checked in ${((performance.now() - t0) / 1000).toFixed(1)} s; a ${small.members}-member district passes LogValidator)`
  )
  return d.entries.length
})()
env.districtEvents = districtEvents
env.districtMembers = sizes.D1.members

// --- running children ---------------------------------------------------------------------
const runChild = (job, { cpuProf = false } = {}) =>
  new Promise((resolve) => {
    const args = ["--max-old-space-size=16384"]
    if (cpuProf) {
      const profDir = path.join(HERE, "results", "tmp", "prof")
      fs.mkdirSync(profDir, { recursive: true })
      args.push("--cpu-prof", `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${job.slug}-${Date.now()}.cpuprofile`)
    }
    args.push(path.join(HERE, "lib", "child.mjs"), JSON.stringify(job))
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    child.stdout.on("data", (d) => {
      out += d
    })
    child.stderr.on("data", (d) => {
      err += d
      if (err.length > 20_000) err = err.slice(-10_000)
    })
    const timer = setTimeout(() => {
      err += `\ntimed out after ${timeoutSec} s`
      child.kill("SIGKILL")
    }, timeoutSec * 1000)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      const line = out.split("\n").findLast((l) => l.startsWith(RESULT_TAG))
      let parsed
      try {
        parsed = line === undefined ? undefined : JSON.parse(line.slice(RESULT_TAG.length))
      } catch {
        parsed = undefined
      }
      const crashed = job.phase === "d2crash" && signal === "SIGKILL"
      if (Array.isArray(parsed) && (code === 0 || crashed)) resolve({ ok: true, rows: parsed })
      else {
        const firstErr = parsed?.error ?? err.trim().split("\n").filter(Boolean).slice(-1)[0] ?? `exit code ${code}`
        resolve({ ok: false, error: firstErr, stderr: err.trim(), code })
      }
    })
  })

/** results: key "row|subject" → { row, subject, floor, kind, reps: [row objects], errors: [] } */
const results = new Map()
const record = (row, subject, meta, value) => {
  const key = `${row}|${subject}`
  let r = results.get(key)
  if (r === undefined) {
    r = { row, subject, ...meta, reps: [], errors: [] }
    results.set(key, r)
  }
  if (value.error !== undefined) r.errors.push(value.error)
  else r.reps.push(value)
}

const fmtValue = (row, v) => (plan.TIME_ROWS.has(row) ? fmtMs(v) : `${fmtRate(v)}/s`)

const slugOf = (s) =>
  s
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_|_$/g, "")
    .toLowerCase()

/** Runs one job (one or more phases, each a fresh child) `reps` times; `subjects(row)` names each row's subject. */
const runJob = async ({ label, jobBase, phases, subjectOf, meta, isFloor, entry }, rep) => {
  {
    const slug = `${slugOf(label)}_r${rep}`
    const dir = path.join(workDir, slug)
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
    const runId = `bench_${process.pid}_${slug}`.slice(0, 60)
    let failed = false
    for (const phase of phases) {
      const job = {
        ...jobBase,
        phase,
        dir,
        runId,
        slug: `${slug}_${phase}`,
        seed,
        expectedEvents: districtEvents,
        noProjections,
        district: districtGenerator
      }
      const t0 = Date.now()
      const cpuProf = profile !== undefined && !isFloor && entry?.name.startsWith(profile)
      const res = failed ? { ok: false, error: "an earlier phase failed" } : await runChild(job, { cpuProf })
      const took = ((Date.now() - t0) / 1000).toFixed(1)
      if (res.ok) {
        for (const r of res.rows) {
          const subject = subjectOf(r.row)
          record(r.row, subject, meta(r.row), r)
          const checkTxt =
            r.check === undefined ? "" : r.check.ok ? " ✓" : ` CHECK FAILED: ${r.check.errors.join("; ")}`
          log(
            `  ${label.padEnd(44)} rep ${rep + 1}/${reps} ${phase.padEnd(6)} ${r.row.padEnd(11)} ${fmtValue(r.row, r.value).padStart(11)}  (${took} s)${checkTxt}`
          )
        }
      } else {
        failed = true
        const rowsOfPhase = phasesRows(jobBase.workload, phase)
        for (const row of rowsOfPhase) record(row, subjectOf(row), meta(row), { error: res.error })
        log(`  ${label.padEnd(44)} rep ${rep + 1}/${reps} ${phase.padEnd(6)} ERROR: ${res.error}`)
        if (res.stderr && res.stderr !== res.error)
          log(
            res.stderr
              .split("\n")
              .slice(-8)
              .map((l) => `      ${l}`)
              .join("\n")
          )
      }
    }
    if (entry?.cleanup !== undefined)
      await entry.cleanup({ dir, runId }).catch((e) => log(`  cleanup of ${label}: ${e.message}`))
    if (!keep) fs.rmSync(dir, { recursive: true, force: true })
  }
}

const phasesRows = (workload, phase) => {
  if (workload !== "D1") return [workload]
  if (phase === "all") return ["D1 import", "D1 replay"]
  if (phase === "import") return ["D1 import"]
  if (phase === "replay") return ["D1 replay"]
  if (phase === "d2open") return ["D2 open"]
  if (phase === "d2crash") return []
  if (phase === "d2recover") return ["D2 recovery"]
  return ["D2 open", "D2 recovery"]
}

const pgFloor = (id) => id.startsWith("pg")

// The jobs, in order; the full run takes them one at a time (no two measurements share the two
// cores), the smoke run two at a time (it checks the harness, not speed).
const jobs = []
for (const workload of workloadsToRun) {
  log(`${workload}: ${JSON.stringify(sizes[workload])}`)
  // floors
  if (!noFloors) {
    if (workload === "D1") {
      for (const f of plan.D_FLOORS) {
        if (pgFloor(f.floor) && !pgInfo.ok) {
          for (const [row, id] of Object.entries(f.subjects))
            record(row, id, { kind: "floor" }, { error: `skipped: ${pgInfo.reason}`, skipped: true })
          continue
        }
        jobs.push({
          label: `D1 floor ${f.floor}`,
          jobBase: { kind: "floor", workload, floor: f.floor, size: sizes.D1 },
          phases: f.phases,
          subjectOf: (row) => f.subjects[row],
          meta: () => ({ kind: "floor" }),
          isFloor: true
        })
      }
    } else {
      for (const id of plan.W_FLOORS[workload]) {
        if (pgFloor(id) && !pgInfo.ok) {
          record(workload, id, { kind: "floor" }, { error: `skipped: ${pgInfo.reason}`, skipped: true })
          continue
        }
        jobs.push({
          label: `${workload} floor ${id}`,
          jobBase: { kind: "floor", workload, floor: id, size: sizes[workload] },
          phases: ["-"],
          subjectOf: () => id,
          meta: () => ({ kind: "floor" }),
          isFloor: true
        })
      }
    }
  }
  // adapters
  for (const a of active) {
    if (!a.workloads.includes(workload)) continue
    const phases =
      workload !== "D1"
        ? ["-"]
        : a.phased
          ? ["import", "replay", ...(a.tearTail !== undefined ? ["d2open", "d2crash", "d2recover"] : [])]
          : ["all"]
    jobs.push({
      label: `${workload} ${a.name}`,
      jobBase: { kind: "adapter", workload, adapter: a.name, size: sizes[workload] },
      phases,
      subjectOf: () => a.name,
      meta: (row) => ({ kind: "adapter", floor: plan.floorFor(row, a.floor, a.durability) }),
      isFloor: false,
      entry: a
    })
  }
}

// Repetitions are the outer loop: a floor and the adapters compared with it are measured close
// together in time, so a drift of the machine (the disk's fdatasync latency varies several-fold
// on this virtual machine) touches both sides of a ratio alike.
const schedule = []
for (let rep = 0; rep < reps; rep++) for (const job of jobs) schedule.push([job, rep])
const concurrency = smoke ? 2 : 1
let nextJob = 0
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (nextJob < schedule.length) {
      const [job, rep] = schedule[nextJob++]
      await runJob(job, rep)
    }
  })
)

// --- aggregation ------------------------------------------------------------------------------
for (const r of results.values()) {
  r.stats = r.reps.length > 0 ? summarize(r) : undefined
  if (!r.stats?.checksOk && r.stats !== undefined) {
    correctnessFailed = true
    problems.push(`${r.row} ${r.subject}: correctness check failed: ${r.stats.checkErrors.slice(0, 5).join("; ")}`)
  }
  if (r.kind === "floor" && r.errors.length > 0 && !r.errors.every((e) => e.startsWith("skipped:"))) {
    harnessBroken = true
    problems.push(`${r.row} ${r.subject}: the floor failed: ${r.errors[0]}`)
  }
}

// checksums: every replay of the same data must fold to the same digest (W4; D1 replay)
for (const row of ["W4", "D1 replay"]) {
  const entries = [...results.values()].filter((r) => r.row === row && r.stats !== undefined)
  const ref = entries.find((r) => r.subject === "array") ?? entries.find((r) => r.kind === "floor")
  const refDigest = ref?.stats.digests[0]
  for (const r of entries) {
    const bad = r.stats.digests.filter(
      (d) =>
        refDigest !== undefined &&
        (d.checksum !== refDigest.checksum ||
          d.events !== refDigest.events ||
          d.disorder !== 0 ||
          d.projections?.checksum !== refDigest.projections?.checksum)
    )
    r.stats.checksum = r.stats.digests[0]?.checksum
    r.stats.checksumOk = bad.length === 0
    if (bad.length > 0) {
      correctnessFailed = true
      problems.push(
        `${row} ${r.subject}: replay digest ${JSON.stringify({ ...bad[0], projections: bad[0].projections?.checksum })} differs from ${ref.subject}'s ${JSON.stringify({ ...refDigest, projections: refDigest.projections?.checksum })}`
      )
    }
  }
}

// --- the tables ------------------------------------------------------------------------------
const { table, targets } = renderTables({ results, skipped, plan, smoke })

const elapsed = ((Date.now() - started) / 1000).toFixed(0)
const header = [
  `xueshi bench (${env.mode}): ${env.date}, ${reps} repetition(s) per row, each in a fresh process; ${elapsed} s in all`,
  `machine: ${env.nproc} cores, ${env.memGiB} GiB, ${env.cpu}; ${env.platform}`,
  `versions: node ${env.node}, effect ${env.effect}, pg ${env.pg}; PostgreSQL ${env.postgres}`,
  `data: seed ${seed}; mean payload ${env.payloadBytes} B; W1 ${JSON.stringify(sizes.W1)}; W2/W4 ${JSON.stringify(sizes.W2)}; W3 ${JSON.stringify(sizes.W3)}; D1 ${env.districtMembers} members, ${env.districtEvents} events (${districtGenerator === "testing" ? "@xueshi/testing District.generateDistrict" : "bench/lib/district.mjs"})`,
  `D1 projections: ${env.projections}`
].join("\n")

console.log(`\n${header}\n\n${table}\n\nTargets\n\n${targets}\n`)
for (const s of skipped) console.log(`skipped: ${s.name} (${s.reason})`)
if (problems.length > 0) console.log(`\nPROBLEMS:\n${problems.map((p) => `- ${p}`).join("\n")}`)

const outDir = path.join(HERE, "results", "tmp")
fs.mkdirSync(outDir, { recursive: true })
const jsonOut = {
  env,
  sizes,
  skipped,
  problems,
  rows: [...results.values()].map(({ reps: r, ...rest }) => ({ ...rest, reps: r }))
}
fs.writeFileSync(path.join(outDir, `latest-${env.mode}.json`), JSON.stringify(jsonOut, null, 2))
fs.writeFileSync(path.join(outDir, `latest-${env.mode}.md`), `${header}\n\n${table}\n\n${targets}\n`)

if (writeDocs) {
  const docs = path.join(ROOT, "docs", "benchmarks.md")
  const text = fs.readFileSync(docs, "utf8")
  const block = `<!-- bench:results:start -->\n\n\`\`\`\n${header}\n\`\`\`\n\n${table}\n\n${targets}\n\n<!-- bench:results:end -->`
  const next = text.replace(/<!-- bench:results:start -->[\s\S]*<!-- bench:results:end -->/, block)
  if (next === text && !text.includes("<!-- bench:results:start -->"))
    log("docs/benchmarks.md has no bench:results markers; not updated")
  else {
    fs.writeFileSync(docs, next)
    // the repository's formatter pads markdown tables; keep the page as `pnpm lint` wants it
    const biome = path.join(ROOT, "node_modules", ".bin", "biome")
    if (fs.existsSync(biome)) spawnSync(biome, ["format", "--write", docs], { cwd: ROOT, stdio: "ignore" })
  }
}

if (!keep) fs.rmSync(workDir, { recursive: true, force: true })
if (harnessBroken || correctnessFailed) {
  console.log(correctnessFailed ? "\nbench: a correctness check FAILED" : "\nbench: the harness itself failed")
  process.exit(1)
}
console.log(`bench: done in ${elapsed} s`)
