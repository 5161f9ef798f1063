// Docs that cannot drift (a step of `pnpm test`): every TypeScript sample (a ```ts, ```typescript
// or ```tsx fenced block) of docs/**/*.md and README.md is extracted, with its file and line, into
// a module under .xueshi-tmp/doc-samples/ (gitignored), type-checked in ONE tsc program with the
// settings of tsconfig.base.json (strict; workspace packages resolve to their sources through the
// "@xueshi/source" condition), and then run, each with tsx in a fresh temp directory as its cwd,
// under a time limit. Any error is reported as `docs/x.md:LINE: ...`; the exit code is non-zero.
//
// A block that cannot be a complete module is marked by an HTML comment right before it:
//   <!-- sample: no-run, REASON -->     type-checked, not run
//   <!-- sample: fragment, REASON -->   neither (pseudo-code, a shape); the reason is printed
// A mark without a reason, or of another kind, is an error. See docs/contributing.md.
//
//   node scripts/docs-samples.mjs [FILE.md ...] [--out DIR]
// Without files: docs/**/*.md and README.md. XUESHI_TEST_REPORT: where to write the counts
// (one test per sample) for scripts/test.mjs. XUESHI_SAMPLE_TIMEOUT_MS: the time limit per run
// (default 60000).
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { isAbsolute, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { fromMarkdown } from "mdast-util-from-markdown"

const root = fileURLToPath(new URL("..", import.meta.url))
const TS_LANGS = new Set(["ts", "typescript", "tsx"])
const MARK = /^<!--\s*sample:\s*([a-z-]+)\s*(?:,\s*([\s\S]*?))?\s*-->$/
const KINDS = new Set(["no-run", "fragment"])
const timeoutMs = Number(process.env.XUESHI_SAMPLE_TIMEOUT_MS ?? 60_000)

// -- arguments ------------------------------------------------------------------------------------
const args = process.argv.slice(2)
const outAt = args.indexOf("--out")
const out = resolve(root, outAt >= 0 ? args.splice(outAt, 2)[1] : ".xueshi-tmp/doc-samples")
const findMarkdown = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? findMarkdown(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : []
  )
const files = (
  args.length > 0 ? args.map((f) => resolve(f)) : [...findMarkdown(join(root, "docs")), join(root, "README.md")]
)
  .filter((f) => existsSync(f))
  .sort()
const shown = (file) => (relative(root, file).startsWith("..") ? file : relative(root, file))

// -- 1. extract -----------------------------------------------------------------------------------
const samples = []
const problems = [] // { where, message }
for (const file of files) {
  const tree = fromMarkdown(readFileSync(file, "utf8"))
  const visit = (node) => {
    const children = node.children ?? []
    children.forEach((child, i) => {
      if (child.type === "code" && TS_LANGS.has(child.lang ?? "")) {
        const line = child.position.start.line
        const where = `${shown(file)}:${line}`
        const before = children[i - 1]
        const m = before?.type === "html" ? MARK.exec(before.value.trim()) : null
        if (before?.type === "html" && /^<!--\s*sample:/.test(before.value.trim()) && !m) {
          problems.push({ where, message: `unreadable sample mark ${before.value.trim()}` })
        }
        const kind = m?.[1] ?? "run"
        const reason = m?.[2] ?? ""
        if (child.meta) {
          problems.push({
            where,
            message: `"${child.lang} ${child.meta}": mark a sample with <!-- sample: KIND, REASON -->`
          })
        }
        if (m && !KINDS.has(kind)) problems.push({ where, message: `unknown sample mark "${kind}" (no-run, fragment)` })
        else if (m && reason === "") problems.push({ where, message: `the "${kind}" mark needs a reason` })
        const name = `${shown(file).replace(/[^A-Za-z0-9]+/g, "_")}_L${line}.ts`
        samples.push({ file, line, where, kind, reason, name, code: child.value })
      }
      visit(child)
    })
  }
  visit(tree)
}
const checked = samples.filter((s) => s.kind !== "fragment")
console.log(
  `docs-samples: ${samples.length} TypeScript samples in ${files.length} Markdown files ` +
    `(${samples.filter((s) => s.kind === "run").length} to run, ${samples.filter((s) => s.kind === "no-run").length} type-check only, ` +
    `${samples.length - checked.length} fragments)`
)
for (const s of samples.filter((x) => x.kind !== "run")) console.log(`docs-samples: ${s.kind}  ${s.where}: ${s.reason}`)

// -- 2. write the modules and type-check them in one program ------------------------------------
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
for (const s of checked) writeFileSync(join(out, s.name), s.code.endsWith("\n") ? s.code : `${s.code}\n`)
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify(
    {
      extends: relative(out, join(root, "tsconfig.base.json")),
      compilerOptions: { noEmit: true, incremental: false },
      files: checked.map((s) => s.name)
    },
    null,
    2
  )
)
const byName = new Map(checked.map((s) => [s.name, s]))
if (checked.length > 0) {
  const tsc = spawnSync(
    process.execPath,
    [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", out, "--pretty", "false"],
    {
      cwd: out,
      encoding: "utf8"
    }
  )
  let last
  for (const text of `${tsc.stdout}${tsc.stderr}`.split("\n")) {
    const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(text)
    const sample = m ? byName.get(m[1].replace(/^.*[\\/]/, "")) : undefined
    if (m && sample) {
      // the code starts on the line after the opening fence
      last = { where: `${shown(sample.file)}:${sample.line + Number(m[2])}`, message: `${m[4]}: ${m[5]}`, sample }
      problems.push(last)
    } else if (m) {
      last = { where: m[1], message: `${m[4]}: ${m[5]}` }
      problems.push(last)
    } else if (text.startsWith(" ") && last) last.message += `\n    ${text.trim()}`
    else if (text.trim() !== "") {
      last = { where: "tsc", message: text }
      problems.push(last)
    }
  }
  if (tsc.status !== 0 && !problems.some((p) => p.message.includes("TS"))) {
    problems.push({ where: "tsc", message: `exited with ${tsc.status}: ${tsc.error?.message ?? ""}` })
  }
  console.log(`docs-samples: tsc over ${checked.length} samples: ${tsc.status === 0 ? "no errors" : "errors"}`)
}

// -- 3. run each complete sample (its own temp cwd, a time limit), a few at a time -------------
const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs")
const runOne = (s) =>
  new Promise((done) => {
    const cwd = mkdtempSync(join(tmpdir(), "xueshi-doc-sample-"))
    const started = Date.now()
    const child = spawn(process.execPath, [tsx, "--conditions=@xueshi/source", join(out, s.name)], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: "" }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => (stdout += d))
    child.stderr.on("data", (d) => (stderr += d))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill("SIGKILL")
    }, timeoutMs)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      rmSync(cwd, { recursive: true, force: true })
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      if (code === 0) {
        const said = stdout.trim().split("\n").slice(0, 3).join(" | ")
        console.log(`docs-samples: ran  ${s.where} (${seconds}s)${said ? `: ${said.slice(0, 160)}` : ""}`)
      } else {
        const why = timedOut ? `did not finish within ${timeoutMs} ms` : `exited with ${code ?? signal}`
        // stack frames in the generated module point back into the Markdown file
        const frame = new RegExp(`(?:file://)?${join(out, s.name).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+)`, "g")
        const output = `${stdout}${stderr}`
          .replace(frame, (_, n) => `${shown(s.file)}:${s.line + Number(n)}`)
          .trim()
          .split("\n")
          .slice(-15)
          .join("\n    ")
        problems.push({ where: s.where, message: `the sample ${why}\n    ${output}`, sample: s })
      }
      done()
    })
  })
const queue = samples.filter((x) => x.kind === "run")
const worker = async () => {
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) await runOne(s)
}
await Promise.all(Array.from({ length: Math.max(1, Math.min(4, availableParallelism() - 1)) }, worker))

// -- 4. report ------------------------------------------------------------------------------------
const failedSamples = new Set(problems.map((p) => p.sample ?? samples.find((s) => s.where === p.where)))
const counts = {
  numFailedTests: samples.filter((s) => failedSamples.has(s)).length,
  numPendingTests: samples.filter((s) => s.kind === "fragment" && !failedSamples.has(s)).length,
  numPassedTests: checked.filter((s) => !failedSamples.has(s)).length
}
const orphan = problems.filter((p) => !samples.some((s) => s === p.sample || s.where === p.where))
if (orphan.length > 0) counts.numFailedTests += 1
if (process.env.XUESHI_TEST_REPORT) writeFileSync(process.env.XUESHI_TEST_REPORT, JSON.stringify(counts))
for (const p of problems) console.error(`${p.where}: ${p.message}`)
if (samples.length === 0) console.log("docs-samples: note: no TypeScript samples found")
const status = problems.length > 0 ? "FAILED" : "OK"
console.log(
  `docs-samples: ${status}: ${counts.numPassedTests} passed, ${counts.numFailedTests} failed, ${counts.numPendingTests} skipped (fragments) (generated in ${isAbsolute(out) ? shown(out) : out})`
)
process.exit(problems.length > 0 ? 1 : 0)
