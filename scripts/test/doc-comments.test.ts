// Every public export of every package has a doc comment that says what it is, since when, and
// its category (`@since`, `@category`, as Effect's packages do). Public: the modules a package's
// src/index.ts re-exports, and what those re-export in turn (internal/ modules are not).
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..")
const DECLARATION =
  /^export (?:declare )?(?:abstract )?(?:const|function\*?|class|interface|type|enum|let) ([A-Za-z0-9_$]+)/

/** The exports of a module's text whose doc comment lacks a description, `@since` or `@category`. */
const missingTags = (source: string): Array<string> => {
  const lines = source.split("\n")
  const out: Array<string> = []
  for (let i = 0; i < lines.length; i++) {
    const m = DECLARATION.exec(lines[i] as string)
    if (m === null) continue
    let j = i - 1
    if (j < 0 || !(lines[j] as string).trim().endsWith("*/")) {
      out.push(`${m[1]} (no doc comment)`)
      continue
    }
    while (j >= 0 && !(lines[j] as string).trimStart().startsWith("/**")) j--
    const doc = lines.slice(Math.max(0, j), i).join("\n")
    // an internal helper shared between modules is not public; a deprecated alias says what to use
    if (/@internal\b/.test(doc)) continue
    const text = doc
      .replace(/^\s*\/\*\*|\*\/\s*$/g, "")
      .split("\n")
      .map((l) => l.replace(/^\s*\*\s?/, ""))
      .filter((l) => !l.startsWith("@"))
      .join(" ")
      .trim()
    const described = text !== "" || /@deprecated \S/.test(doc)
    const lacks = [
      described ? "" : "a description",
      /@since /.test(doc) ? "" : "@since",
      /@category /.test(doc) ? "" : "@category"
    ]
      .filter((x) => x !== "")
      .join(", ")
    if (lacks !== "") out.push(`${m[1]} (no ${lacks})`)
  }
  return out
}

/** The public modules of a package: its index and what the index re-exports, transitively. */
const publicModules = (pkg: string): Array<string> => {
  const seen = new Set<string>()
  const queue = [join(ROOT, "packages", pkg, "src", "index.ts")]
  while (queue.length > 0) {
    const file = queue.pop() as string
    if (seen.has(file) || !existsSync(file) || file.includes("/internal/")) continue
    seen.add(file)
    for (const m of readFileSync(file, "utf8").matchAll(/^export [^;]*?from "(\.[^"]+)\.js"/gms)) {
      queue.push(resolve(dirname(file), `${m[1]}.ts`))
    }
  }
  return [...seen].sort()
}

describe("doc comments", () => {
  const packages = readdirSync(join(ROOT, "packages")).filter((p) =>
    existsSync(join(ROOT, "packages", p, "src", "index.ts"))
  )

  it("the check finds a missing comment, description, @since or @category", () => {
    expect(missingTags("export const a = 1")).toEqual(["a (no doc comment)"])
    expect(missingTags("/** A. @since 0.1.0 */\nexport const a = 1")).toEqual(["a (no @category)"])
    expect(missingTags("/**\n * @category models\n * @since 0.1.0\n */\nexport type A = 1")).toEqual([
      "A (no a description)"
    ])
    expect(missingTags("/**\n * A.\n *\n * @category models\n * @since 0.1.0\n */\nexport type A = 1")).toEqual([])
    expect(
      missingTags("/**\n * @deprecated use B\n * @category models\n * @since 0.1.0\n */\nexport type A = 1")
    ).toEqual([])
  })

  it("every public export of every package has a description, @since and @category", () => {
    const missing: Array<string> = []
    let modules = 0
    for (const pkg of packages) {
      for (const file of publicModules(pkg)) {
        modules++
        for (const m of missingTags(readFileSync(file, "utf8"))) missing.push(`${relative(ROOT, file)}: ${m}`)
      }
    }
    expect(modules).toBeGreaterThan(100)
    expect(missing).toEqual([])
  })
})
