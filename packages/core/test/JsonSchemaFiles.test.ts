/**
 * The checked-in JSON Schemas cannot drift: packages/core/schema/ and
 * docs/schema/ hold exactly what `JsonSchemas.jsonSchemas()` produces now, byte
 * for byte, the package ships them, and docs/schema/README.md names each file.
 *
 * Stale files? `npx tsx --conditions=@xueshi/source scripts/gen-json-schemas.ts`
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { jsonFilesIn, renderFiles, SCHEMA_DIRS, staleFiles } from "../../../scripts/gen-json-schemas.ts"
import { eventTypes } from "../src/Events.js"
import { jsonSchemas, schemaEntries, toJsonSchema } from "../src/JsonSchemas.js"

const files = renderFiles()

describe("the checked-in JSON Schemas", () => {
  it.each(SCHEMA_DIRS.map((d) => [d]))("%s holds exactly the generated files, byte for byte", (dir) => {
    expect(staleFiles(dir, files)).toEqual([])
    expect(jsonFilesIn(dir)).toEqual([...files.keys()].sort())
  })

  it("the check finds a changed, a missing and an extra file", () => {
    const dir = mkdtempSync(join(tmpdir(), "xueshi-schema-"))
    try {
      for (const [file, text] of files) {
        mkdirSync(dirname(join(dir, file)), { recursive: true })
        writeFileSync(join(dir, file), text)
      }
      expect(staleFiles(dir, files)).toEqual([])
      const [first, second] = files.keys() as IterableIterator<string>
      writeFileSync(join(dir, first as string), `${files.get(first as string)} `)
      rmSync(join(dir, second as string))
      writeFileSync(join(dir, "events", "Gone.schema.json"), "{}\n")
      expect(staleFiles(dir, files)).toEqual([first, second, "events/Gone.schema.json"])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("are shipped: `schema` in files and a ./schema/* export", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(pkg.files).toContain("schema")
    expect(pkg.exports["./schema/*"]).toBe("./schema/*")
  })

  it("are each explained in docs/schema/README.md", () => {
    const readme = readFileSync(new URL("../../../docs/schema/README.md", import.meta.url), "utf8")
    const missing = [...files.keys()].filter((f) => !f.startsWith("events/") && !readme.includes(`\`${f}\``))
    expect(missing).toEqual([])
    expect(readme).toContain("`events/<Type>.schema.json`")
  })
})

describe("JsonSchemas", () => {
  it("makes one file per event type, the log line, the policy set and the district report", () => {
    expect(jsonSchemas().map((s) => s.file)).toEqual([
      "log-line.schema.json",
      "policy-set.schema.json",
      "district-report.schema.json",
      ...eventTypes.map((t) => `events/${t}.schema.json`)
    ])
  })

  it("one more table entry is one more file", () => {
    const extra = { file: "x.schema.json", title: "X", description: "d", schema: Schema.Struct({ n: Schema.Int }) }
    const out = jsonSchemas([...schemaEntries, extra])
    expect(out).toHaveLength(schemaEntries.length + 1)
    expect(out.at(-1)?.schema).toMatchObject({
      title: "X",
      description: "d",
      type: "object",
      properties: { n: { type: "integer" } },
      required: ["n"],
      additionalProperties: false
    })
  })

  it("writes the checks the Effect schemas carry: patterns, bounds, enums, integers", () => {
    const line = toJsonSchema(schemaEntries[0] as (typeof schemaEntries)[number]) as Record<string, any>
    const defs = line.$defs
    expect(defs.SessionMinutes).toMatchObject({ type: "integer", minimum: 1, maximum: 1440 })
    expect(defs.ClassId.pattern).toBe("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
    expect(defs.PositiveHours).toMatchObject({ type: "number", exclusiveMinimum: 0, multipleOf: 0.01 })
    expect(defs.SessionMode.enum).toEqual(["inPerson", "online", "liveStream", "onSite", "homeDelivery"])
    expect(line.anyOf).toHaveLength(eventTypes.length)
    for (const branch of line.anyOf) {
      expect(branch.additionalProperties).toBe(false)
      expect(branch.properties.stream.pattern).toMatch(/^\^(school|member|class|credit)-/)
      expect(defs[branch.properties.type.enum[0]].additionalProperties).toBe(false)
    }
  })
})
