// Loads the BUILT workspace packages (their `dist`, through the package's `exports`), by folder,
// so an adapter package joins the benchmark as soon as it is built, whether or not bench/
// lists it as a dependency.
import fs from "node:fs"
import path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")

/** `{ ok: true, module, name, version }` or `{ ok: false, reason }` for packages/<folder>. */
export const loadWorkspacePackage = async (folder) => {
  const dir = path.join(ROOT, "packages", folder)
  const pj = path.join(dir, "package.json")
  if (!fs.existsSync(pj)) return { ok: false, reason: `packages/${folder} does not exist yet` }
  let pkg
  try {
    pkg = JSON.parse(fs.readFileSync(pj, "utf8"))
  } catch (e) {
    return { ok: false, reason: `packages/${folder}/package.json is unreadable: ${e.message}` }
  }
  const entry = pkg.exports?.["."]?.import?.default ?? pkg.module ?? pkg.main
  if (typeof entry !== "string") return { ok: false, reason: `${pkg.name} has no ESM entry in its exports` }
  const file = path.join(dir, entry)
  if (!fs.existsSync(file)) return { ok: false, reason: `${pkg.name} is not built (${entry} missing; run pnpm build)` }
  const srcIndex = path.join(dir, "src", "index.ts")
  const stale = fs.existsSync(srcIndex) && newestMtime(path.join(dir, "src")) > fs.statSync(file).mtimeMs
  try {
    const module = await import(pathToFileURL(file).href)
    return { ok: true, module, name: pkg.name, version: pkg.version, stale }
  } catch (e) {
    return { ok: false, reason: `${pkg.name} fails to load: ${String(e?.message ?? e).split("\n")[0]}` }
  }
}

/** The newest modification time under a folder (ms). */
export const newestMtime = (dir) => {
  let newest = 0
  const walk = (d) => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name)
      if (ent.isDirectory()) walk(p)
      else newest = Math.max(newest, fs.statSync(p).mtimeMs)
    }
  }
  if (fs.existsSync(dir)) walk(dir)
  return newest
}

/** The first export found along one of the candidate paths (e.g. ["MemoryEventStore", "layer"]). */
export const findExport = (module, candidates) => {
  for (const c of candidates) {
    let v = module
    for (const k of c) v = v?.[k]
    if (v !== undefined) return { path: c.join("."), value: v }
  }
  return undefined
}

/** The module of a built package for a standalone bench script; prints `skipped: …` and exits 0 when it cannot load. */
export const needPackage = async (folder) => {
  const r = await loadWorkspacePackage(folder)
  if (!r.ok) {
    console.log(`skipped: ${r.reason}`)
    process.exit(0)
  }
  if (r.stale) console.warn(`warning: ${r.name} is older than its sources (run pnpm build)`)
  return r.module
}

/** `--key=value` and `--flag` arguments of a standalone bench script, as strings (`"true"` for a flag). */
export const scriptArgs = (argv = process.argv.slice(2)) =>
  Object.fromEntries(
    argv
      .filter((a) => a.startsWith("--"))
      .map((a) => {
        const [k, v] = a.replace(/^--/, "").split("=")
        return [k, v ?? "true"]
      })
  )
