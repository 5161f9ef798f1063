// Helpers of the hand-worked scenarios (CreditScenarios, ClassScenarios).
import type { LocalDate } from "../../src/Calendar.js"
import * as MemberCompliance from "../../src/policy/MemberCompliance.js"
import type { PolicySet } from "../../src/policy/PolicySet.js"
import { foldProjection } from "../../src/policy/Projection.js"
import { attend, school, session, type Wire, withAccrual } from "./fixtures.js"

export const d = (s: string) => s as LocalDate

/** n weekly sessions of `minutes` from a date, 19:00 Shanghai. */
export const weekly = (
  classId: string,
  from: string,
  n: number,
  minutes: number,
  category = "theory",
  mode = "inPerson"
) =>
  Array.from({ length: n }, (_, i) => {
    const day = new Date(`${from}T00:00:00Z`)
    day.setUTCDate(day.getUTCDate() + 7 * i)
    return session(classId, `S${i + 1}`, `${day.toISOString().slice(0, 10)}T19:00:00+08:00`, minutes, category, mode)
  })

export const attendAll = (classId: string, memberId: string, n: number, minutes: number) =>
  Array.from({ length: n }, (_, i) => attend(classId, `S${i + 1}`, memberId, minutes))

export const compliance = (
  lines: ReadonlyArray<Wire>,
  policy: PolicySet,
  memberId: string,
  asOf: string,
  year?: number
) => {
  const { records } = withAccrual(lines, policy)
  const p = MemberCompliance.make(policy)
  return p.query(foldProjection(p, records), { asOf: d(asOf), memberId, ...(year === undefined ? {} : { year }) })
}

export const tree = [
  school("D", "district"),
  school("S1", "subdistrict", "D"),
  school("S2", "township", "D"),
  school("V1", "community", "S1"),
  school("V2", "village", "S2")
]
