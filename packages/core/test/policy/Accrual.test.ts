import { describe, expect, it } from "vitest"
import type { DomainEvent } from "../../src/Events.js"
import * as Accrual from "../../src/policy/Accrual.js"
import { sessionCredit } from "../../src/policy/CreditPolicy.js"
import * as Presets from "../../src/policy/Presets.js"
import {
  attend,
  correct,
  enrol,
  foldFacts,
  klass,
  member,
  school,
  session,
  validate,
  w,
  withAccrual
} from "./fixtures.js"

const policy = Presets.national2019

const base = [
  school("D", "district"),
  member("M1", "D", ["ordinaryMember"]),
  klass("C1", "D"),
  session("C1", "S1", "2025-03-04T19:00:00+08:00", 90),
  session("C1", "S2", "2025-03-11T19:00:00+08:00", 90),
  enrol("C1", "M1")
]

const grants = (commands: ReadonlyArray<Accrual.CreditCommand>) =>
  commands.map((c) => (c.type === "GrantCredit" ? `+${c.data.grantId}=${c.data.hours}` : `-${c.data.grantId}`))

describe("standard-45 (hand-worked: minutes × 100 / 45, down to a multiple of 25 hundredths)", () => {
  it.each([
    // 90 × 100 / 45 = 200 → 200 (2.00)
    [90, 200],
    // 15 × 100 / 45 = 33.3 → 25 (0.25)
    [15, 25],
    // 44 × 100 / 45 = 97.7 → 75 (0.75)
    [44, 75],
    // 10 × 100 / 45 = 22.2 → 0
    [10, 0],
    // 45 → 100; 60 → 133.3 → 125; 120 → 266.6 → 250
    [45, 100],
    [60, 125],
    [120, 250]
  ])("%i minutes → %i hundredths", (minutes, hours) => {
    expect(sessionCredit(Presets.standard45, minutes, 180)).toBe(hours)
  })
})

describe("accrual", () => {
  it("grants per attended session with deterministic ids; nothing for 10 minutes", () => {
    const { commands } = withAccrual([...base, attend("C1", "S1", "M1", 90), attend("C1", "S2", "M1", 10)], policy)
    expect(grants(commands)).toEqual(["+s:C1:S1:a90/90:2025:r1=200"])
    const c = commands[0]
    expect(c?.type === "GrantCredit" && c.data).toMatchObject({
      year: 2025,
      category: "theory",
      mode: "inPerson",
      source: { kind: "session", classId: "C1", sessionId: "S1" },
      policyId: "national-2019",
      at: "2025-03-04T19:00:00+08:00"
    })
  })

  it("is idempotent: over its own output it emits nothing, and twice gives the same commands", () => {
    const lines = [...base, attend("C1", "S1", "M1", 90), attend("C1", "S2", "M1", 60)]
    const first = withAccrual(lines, policy)
    expect(Accrual.accrueAll(foldFacts(validate(lines)), policy)).toEqual(first.commands)
    expect(Accrual.accrueAll(foldFacts(first.records), policy)).toEqual([])
  })

  it("corrections revoke and re-grant; recurring facts get a new revision", () => {
    // 90 → r1 of a90 (2.00)
    let log = withAccrual([...base, attend("C1", "S1", "M1", 90)], policy).lines
    // corrected to 60: revoke a90 r1, grant a60 r1 (60 → 1.25)
    let step = withAccrual([...log, correct("C1", "S1", "M1", 60)], policy)
    expect(grants(step.commands)).toEqual(["-s:C1:S1:a90/90:2025:r1", "+s:C1:S1:a60/90:2025:r1=125"])
    log = step.lines
    // back to 90: a90 r1 was used (and revoked), so r2
    step = withAccrual([...log, correct("C1", "S1", "M1", 90)], policy)
    expect(grants(step.commands)).toEqual(["-s:C1:S1:a60/90:2025:r1", "+s:C1:S1:a90/90:2025:r2=200"])
    log = step.lines
    // corrected to 0: revoke only
    step = withAccrual([...log, correct("C1", "S1", "M1", 0)], policy)
    expect(grants(step.commands)).toEqual(["-s:C1:S1:a90/90:2025:r2"])
  })

  it("a cancelled session's grants are revoked", () => {
    const log = withAccrual([...base, attend("C1", "S1", "M1", 90)], policy).lines
    const step = withAccrual(
      [...log, w("SessionCancelled", { classId: "C1", sessionId: "S1", reason: "typhoon" })],
      policy
    )
    expect(step.commands).toHaveLength(1)
    expect(step.commands[0]).toMatchObject({ type: "RevokeCredit", data: { reason: "session cancelled" } })
  })

  it("make-ups earn credit when the policy allows it (year of the make-up)", () => {
    const lines = [
      ...base,
      w("MakeUpCompleted", {
        classId: "C1",
        sessionId: "S1",
        memberId: "M1",
        minutes: 45,
        at: "2025-03-20T10:00:00+08:00",
        mode: "online"
      })
    ]
    // 45 minutes → 1.00, mode online
    expect(grants(withAccrual(lines, policy).commands)).toEqual(["+s:C1:S1:m45/90:2025:r1=100"])
    const noMakeUp = Presets.composePolicySet({
      id: "p",
      effectiveFrom: "2019-01-01",
      credit: { ...Presets.standard45, makeUpCredit: false }
    })
    expect(withAccrual(lines, noMakeUp).commands).toEqual([])
  })

  it("sessions before the policy's effective date are not credited", () => {
    const later = Presets.composePolicySet({ id: "p", effectiveFrom: "2025-03-10" })
    const { commands } = withAccrual([...base, attend("C1", "S1", "M1", 90), attend("C1", "S2", "M1", 90)], later)
    expect(grants(commands)).toEqual(["+s:C1:S2:a90/90:2025:r1=200"])
  })

  it("creditRequiresCompletion waits for ClassCompleted and a pass", () => {
    const strict = Presets.composePolicySet({
      id: "p",
      effectiveFrom: "2019-01-01",
      credit: { ...Presets.standard45, creditRequiresCompletion: true },
      completion: { id: "c", source: "test", maxUnexcusedAbsences: 0, makeUpAllowed: true }
    })
    const lines = [...base, member("M2", "D", ["ordinaryMember"]), enrol("C1", "M2")]
    const attended = [
      ...lines,
      attend("C1", "S1", "M1", 90),
      attend("C1", "S2", "M1", 90),
      attend("C1", "S1", "M2", 90)
    ]
    expect(withAccrual(attended, strict).commands).toEqual([])
    // M2 missed S2 without leave: fails; M1 passes and gets both sessions
    const done = withAccrual(
      [...attended, w("ClassCompleted", { classId: "C1", at: "2025-03-12T12:00:00+08:00" })],
      strict
    )
    expect(grants(done.commands)).toEqual(["+s:C1:S1:a90/90:2025:r1=200", "+s:C1:S2:a90/90:2025:r1=200"])
  })

  it("external credit has a deterministic id and the policy's year attribution", () => {
    const c = Accrual.grantExternal(policy, {
      memberId: "M1",
      system: "ganbu-wangyuan",
      reference: "course-42",
      hours: 150 as never,
      at: "2025-12-31T17:30:00-08:00" as never,
      mode: "online"
    })
    // 17:30 on Dec 31 at −08:00 is 09:30 on Jan 1 in Shanghai
    expect(c.data).toMatchObject({ grantId: "x:ganbu-wangyuan:course-42", year: 2026, source: { kind: "external" } })
  })
})

describe("accrual of a very large class", () => {
  it("grants 200,000 attendances of one class without overflowing the stack", () => {
    const members = 50_000
    const sessions = ["S1", "S2", "S3", "S4"]
    const lines: Array<ReturnType<typeof school>> = [school("D", "district"), klass("C1", "D")]
    for (const [i, s] of sessions.entries()) lines.push(session("C1", s, `2025-03-0${i + 4}T19:00:00+08:00`, 90))
    for (let m = 0; m < members; m++) {
      const id = `M${m}`
      lines.push(member(id, "D", ["ordinaryMember"]), enrol("C1", id))
      for (const s of sessions) lines.push(attend("C1", s, id, 90))
    }
    // no CreditGranted among them: the wire payloads are the runtime payloads
    const facts = foldFacts(lines as unknown as ReadonlyArray<DomainEvent>, policy.timeZone)
    const commands = Accrual.accrueAll(facts, policy)
    expect(commands.length).toBe(members * sessions.length)
    expect(commands.every((c) => c.type === "GrantCredit" && c.data.hours === 200)).toBe(true)
    expect(Accrual.accrueClass(facts, "C1", policy).length).toBe(members * sessions.length)
  })
})
