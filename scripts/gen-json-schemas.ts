/**
 * Writes the JSON Schemas of @xueshi/core (`JsonSchemas.jsonSchemas()`) to
 * packages/core/schema/ (shipped in the package) and docs/schema/ (the docs).
 *
 *   npx tsx --conditions=@xueshi/source scripts/gen-json-schemas.ts          # rewrite the files
 *   npx tsx --conditions=@xueshi/source scripts/gen-json-schemas.ts --check  # exit 1 if stale
 *
 * packages/core/test/JsonSchemaFiles.test.ts asserts that both folders hold
 * exactly these files, byte for byte, so the checked-in schemas cannot drift.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { JsonSchemas } from "@xueshi/core"

/** The folders the schemas are written to. */
export const SCHEMA_DIRS: ReadonlyArray<string> = [
  fileURLToPath(new URL("../packages/core/schema", import.meta.url)),
  fileURLToPath(new URL("../docs/schema", import.meta.url))
]

/** Every generated file (path inside a schema folder) with its text: two-space JSON and a final newline. */
export const renderFiles = (): ReadonlyMap<string, string> =>
  new Map(JsonSchemas.jsonSchemas().map(({ file, schema }) => [file, `${JSON.stringify(schema, null, 2)}\n`]))

/** The `.json` files under a folder, as paths relative to it (sorted). */
export const jsonFilesIn = (dir: string): Array<string> => {
  const out: Array<string> = []
  const walk = (d: string): void => {
    let entries: Array<import("node:fs").Dirent>
    try {
      entries = readdirSync(d, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith(".json")) out.push(relative(dir, p).split("\\").join("/"))
    }
  }
  walk(dir)
  return out.sort()
}

/** What differs in a folder from the rendering: files missing or stale, and files no entry produces. */
export const staleFiles = (dir: string, files: ReadonlyMap<string, string> = renderFiles()): Array<string> => {
  const stale: Array<string> = []
  for (const [file, text] of files) {
    let current: string | undefined
    try {
      current = readFileSync(join(dir, file), "utf8")
    } catch {
      current = undefined
    }
    if (current !== text) stale.push(file)
  }
  for (const file of jsonFilesIn(dir)) if (!files.has(file)) stale.push(file)
  return stale
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = renderFiles()
  const check = process.argv.includes("--check")
  let stale = 0
  for (const dir of SCHEMA_DIRS) {
    for (const file of staleFiles(dir, files)) {
      stale++
      const text = files.get(file)
      if (check) console.error(`stale: ${join(dir, file)}`)
      else if (text === undefined) rmSync(join(dir, file))
      else {
        mkdirSync(dirname(join(dir, file)), { recursive: true })
        writeFileSync(join(dir, file), text)
      }
    }
  }
  if (check && stale > 0) {
    console.error("the JSON Schemas are stale: run scripts/gen-json-schemas.ts")
    process.exit(1)
  }
  if (!check) console.log(stale === 0 ? "the JSON Schemas are up to date" : `${stale} JSON Schema file(s) written`)
}
