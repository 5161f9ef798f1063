// The district report's JSON passes its shipped JSON Schema (ajv), and a report with a field
// missing, mistyped or added does not: the schema is the report's published contract.
import { DistrictReport, Ledger, Presets } from "@xueshi/core"
import { describe, expect, it } from "vitest"
import { generateDistrict } from "../src/District.js"
import { validateReport as validate } from "./JsonSchemaKit.js"

const ledger = Ledger.fromRecords(
  [...generateDistrict({ seed: 9, members: 300, communities: 6 })],
  Presets.xiqingDistrict
)
const json = JSON.parse(DistrictReport.toJson(DistrictReport.build(ledger, { year: 2025 })))

describe("the district report's JSON Schema", () => {
  it("accepts the JSON of a generated district's report", () => {
    expect(json.schools.length).toBeGreaterThan(5)
    expect(validate(json)).toEqual({ valid: true, errors: "" })
  })

  it("rejects a report with a field missing, mistyped or unknown", () => {
    const { headline: _, ...missing } = json
    expect(validate(missing).valid).toBe(false)
    expect(validate({ ...json, year: "2025" }).valid).toBe(false)
    expect(validate({ ...json, extra: 1 }).valid).toBe(false)
    const school = { ...json.schools[0], total: { ...json.schools[0].total, members: -1 } }
    expect(validate({ ...json, schools: [school, ...json.schools.slice(1)] }).valid).toBe(false)
    expect(validate({ ...json, format: "xueshi/district-report@2" }).valid).toBe(false)
  })
})
