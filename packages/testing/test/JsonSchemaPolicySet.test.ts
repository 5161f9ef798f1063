/**
 * policy-set.schema.json against the presets: every preset policy set, encoded
 * to JSON, passes; each one-rule schema mutation of it fails ajv AND
 * `PolicySet.decodePolicySet`; the rules JSON Schema cannot express pass ajv
 * and fail the decoder.
 */
import { PolicySet, Presets } from "@xueshi/core"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { validatePolicySet } from "./JsonSchemaKit.js"
import { mutated, REMOVE } from "./JsonSchemaMutations.js"

type Json = Record<string, any>

const toJson = (p: PolicySet.PolicySet): Json => JSON.parse(JSON.stringify(PolicySet.encodePolicySet(p)))

const parts = <K extends string>(kind: K) =>
  Object.values(Presets.presets)
    .filter((p) => p.kind === kind)
    .map((p) => p.value)

/** The preset policy sets, and one policy set per preset credit policy holding every other preset part. */
const policySets: ReadonlyArray<readonly [string, Json]> = [
  ...Object.entries(Presets.presets)
    .filter(([, p]) => p.kind === "policySet")
    .map(([id, p]) => [id, toJson(p.value as PolicySet.PolicySet)] as const),
  ...(parts("credit") as ReadonlyArray<PolicySet.PolicySet["credit"]>).map(
    (credit) =>
      [
        `every preset part with credit ${credit.id}`,
        toJson(
          Presets.composePolicySet({
            id: `all-${credit.id}`,
            effectiveFrom: "2025-01-01",
            timeZone: "Asia/Shanghai",
            credit,
            requirements: parts("requirement") as ReadonlyArray<PolicySet.PolicySet["requirements"][number]>,
            courseMix: parts("courseMix") as ReadonlyArray<PolicySet.PolicySet["courseMix"][number]>,
            completion: parts("completion")[1] as PolicySet.PolicySet["completion"]
          })
        )
      ] as const
  )
]

/** A named one-rule change to a policy set's JSON: the field at a dotted path set to a value (or removed). */
type PolicyMutation = readonly [name: string, path: string, value: unknown]

const apply = (json: Json, [, path, value]: PolicyMutation): Json => mutated(json, { path: path.split("."), value })

const mutations: ReadonlyArray<PolicyMutation> = [
  ...["id", "version", "title", "effectiveFrom", "credit", "requirements", "courseMix", "completion"].map(
    (k): PolicyMutation => [`${k} missing`, k, REMOVE]
  ),
  ["unknown field", "extra", 1],
  ["id with a space", "id", "national 2019"],
  ["id too long", "id", "x".repeat(65)],
  ["version 0", "version", 0],
  ["version 1.5", "version", 1.5],
  ["title = 1", "title", 1],
  ["effectiveFrom 2025-02-30", "effectiveFrom", "2025-02-30"],
  ["effectiveFrom without dashes", "effectiveFrom", "20250101"],
  ["timeZone empty", "timeZone", ""],
  ["credit.rule of an unknown kind", "credit.rule", { kind: "hourly", minutesPerHour: 45 }],
  ["credit.rule linear with minutesPerHour 0", "credit.rule", linear({ minutesPerHour: 0 })],
  ["credit.rule linear with minutesPerHour 1441", "credit.rule", linear({ minutesPerHour: 1441 })],
  ["credit.rule linear with step 0", "credit.rule", linear({ step: 0 })],
  ["credit.rule linear with step 0.125", "credit.rule", linear({ step: 0.125 })],
  ["credit.rule linear with rounding up", "credit.rule", linear({ rounding: "up" })],
  ["credit.rule tiered without tiers", "credit.rule", { kind: "tiered", tiers: [] }],
  ["credit.makeUpCredit = 'yes'", "credit.makeUpCredit", "yes"],
  ["credit.minAttendedShare den 0", "credit.minAttendedShare", { num: 1, den: 0 }],
  ["credit.minAttendedShare num 0.5", "credit.minAttendedShare", { num: 0.5, den: 1 }],
  ["credit.caps = {}", "credit.caps", {}],
  ["credit.caps[0] with maxHours -1", "credit.caps", [{ id: "c", filter: {}, maxHours: -1 }]],
  ["credit.caps[0].filter.modes unknown", "credit.caps", [cap({ modes: ["offline"] })]],
  ["credit.yearSplit proportional without step", "credit.yearSplit", { kind: "proportional" }],
  ["credit.carryOver.maxHours 0", "credit.carryOver", { maxHours: 0 }],
  ["requirements = {}", "requirements", {}],
  ["requirements[0].strength medium", "requirements.0.strength", "medium"],
  ["requirements[0].thresholds empty", "requirements.0.thresholds", []],
  ["requirements[0].window weekly", "requirements.0.window", { kind: "weekly" }],
  ["requirements[0].window rollingYears 0", "requirements.0.window", { kind: "rollingYears", years: 0 }],
  ["requirements[0].who unknown", "requirements.0.who", ["nobody"]],
  ["requirements[0] threshold days 0", "requirements.0.thresholds", [{ measure: "days", min: 0 }]],
  ["courseMix[0] empty", "courseMix", [{}]],
  ["completion.maxLeaves -1", "completion.maxLeaves", -1],
  ["completion.makeUpAllowed missing", "completion.makeUpAllowed", REMOVE],
  ["completion.leaveRatioExceeded ignore", "completion.leaveRatioExceeded", "ignore"]
]

function linear(over: Json): Json {
  return { kind: "linear", minutesPerHour: 45, step: 0.25, rounding: "floor", ...over }
}
function cap(filter: Json): Json {
  return { id: "c", filter, maxHours: 10 }
}

const decoderRejects = (json: unknown): boolean => Result.isFailure(PolicySet.decodePolicySet(json))

describe("policy-set.schema.json", () => {
  it("covers the preset policy sets and every credit rule kind", () => {
    expect(policySets.map(([id]) => id)).toEqual(expect.arrayContaining(["national-2019", "cadre-2023"]))
    expect(new Set(policySets.map(([, p]) => p.credit.rule.kind))).toEqual(new Set(["linear", "tiered", "blocks"]))
  })

  it.each(policySets)("preset %s encoded to JSON passes ajv and decodes", (_id, json) => {
    expect(validatePolicySet(json).errors).toBe("")
    expect(Result.isSuccess(PolicySet.decodePolicySet(json))).toBe(true)
  })

  describe.each(policySets)("one-rule mutations of %s", (_id, json) => {
    it.each(mutations)("%s: ajv and decodePolicySet reject it", (...m) => {
      const bad = apply(json, m)
      expect(validatePolicySet(bad).valid).toBe(false)
      expect(decoderRejects(bad)).toBe(true)
    })
  })

  describe.each(policySets)("what JSON Schema cannot express, on %s", (_id, json) => {
    it.each<PolicyMutation>([
      ["duplicate requirement ids", "requirements", (p: Json) => [p.requirements[0], p.requirements[0]]],
      ["a share above 1", "credit.minAttendedShare", { num: 3, den: 2 }],
      ["an unknown time zone", "timeZone", "Mars/Olympus_Mons"],
      ["tiers not increasing", "credit.rule", tiered([60, 1], [30, 2])]
    ])("%s: ajv accepts, decodePolicySet rejects", (...m) => {
      const bad = apply(json, m)
      expect(validatePolicySet(bad).errors).toBe("")
      expect(decoderRejects(bad)).toBe(true)
    })
  })
})

function tiered(...tiers: ReadonlyArray<readonly [number, number]>): Json {
  return { kind: "tiered", tiers: tiers.map(([minMinutes, hours]) => ({ minMinutes, hours })) }
}
