import { fc, test } from "@fast-check/vitest"
import { expect } from "vitest"
import { IdTable } from "../src/internal/EventIds.js"

const fp = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })

test.prop([
  fc.array(fc.tuple(fc.uuid(), fp, fc.boolean()), { maxLength: 1500, size: "max" }),
  fc.array(fc.uuid(), { maxLength: 50 })
])("the id table answers what a Map of lower-case ids answers, whatever the case and however large", (ops, probes) => {
  const table = new IdTable()
  const model = new Map<string, number>()
  for (const [id, f, upper] of ops) {
    const written = upper ? id.toUpperCase() : id
    const key = id.toLowerCase()
    expect(table.get(written)).toBe(model.get(key))
    if (!model.has(key)) {
      table.set(written, f)
      model.set(key, f)
    }
  }
  for (const [id] of ops) expect(table.get(id.toUpperCase())).toBe(model.get(id.toLowerCase()))
  for (const id of probes) expect(table.get(id)).toBe(model.get(id.toLowerCase()))
})
