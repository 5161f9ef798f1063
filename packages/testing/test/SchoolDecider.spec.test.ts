/**
 * The school decider, as a specification table: given these events, when asked
 * for this event, then these events (or this rule broken).
 *
 * Not here: `school.unknownParent` and `school.parentTier` concern another
 * stream (the parent school); the command handler and the log validator check
 * them (see LogValidator.test.ts in core).
 */
import { SchoolDecider } from "@xueshi/core"
import { describe, expect, it } from "vitest"
import { ask, given, rulesCovered, table } from "../src/DeciderSpec.js"
import { quotaClaimed, schoolRegistered } from "./Fixtures.js"

const XQ = schoolRegistered("XQ")
const quota = (year: number) => (s: SchoolDecider.SchoolState) =>
  s.status === "registered" ? s.quotas.get(year) : undefined

const rows = {
  "registers a district school": given()
    .when(ask(XQ))
    .then([XQ])
    .so(ask(quotaClaimed("XQ")), [quotaClaimed("XQ")]),
  "registers a subdistrict school under its parent": given()
    .when(ask(schoolRegistered("XQ-JMH", "subdistrict", "XQ")))
    .then([schoolRegistered("XQ-JMH", "subdistrict", "XQ")])
    .so(ask(schoolRegistered("XQ-JMH", "subdistrict", "XQ")), "school.alreadyRegistered"),
  "refuses a second registration": given(XQ).when(ask(XQ)).then("school.alreadyRegistered"),
  "refuses a second registration with another name or tier": given(XQ)
    .when(ask(schoolRegistered("XQ", "township")))
    .then("school.alreadyRegistered"),
  "records a quota claim": given(XQ)
    .when(ask(quotaClaimed("XQ")))
    .then([quotaClaimed("XQ")])
    .so(quota(2025), { traineeTimes: 600 }),
  "records a later claim for the same year (it replaces the first)": given(XQ, quotaClaimed("XQ", 2025, 100))
    .when(ask(quotaClaimed("XQ", 2025, 800)))
    .then([quotaClaimed("XQ", 2025, 800)])
    .so(quota(2025), { traineeTimes: 800 }),
  "refuses a claim of an unregistered school": given()
    .when(ask(quotaClaimed("XQ")))
    .then("school.notRegistered")
}

describe("SchoolDecider", () => {
  table(SchoolDecider.SchoolDecider, rows)

  it("the table covers every rule of school streams the decider owns", () => {
    expect([...rulesCovered(rows)].sort()).toEqual(["school.alreadyRegistered", "school.notRegistered"])
  })

  it("a later quota claim replaces an earlier one in the state", () => {
    const d = SchoolDecider.SchoolDecider
    const s = [XQ, quotaClaimed("XQ", 2025, 100), quotaClaimed("XQ", 2025, 800)].reduce(d.evolve, d.initialState)
    expect(s.status === "registered" && s.quotas.get(2025)).toEqual({ traineeTimes: 800 })
  })
})
