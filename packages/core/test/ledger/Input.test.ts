// Plain inputs at the boundary: every valid command survives its wire form, and every bad input
// fails with a typed error naming the field and the rule (never "Schema validation failed").
import { test } from "@fast-check/vitest"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Arbitraries from "../../../testing/src/Arbitraries.js"
import { Commands, EventCodec, Input } from "../../src/index.js"

const wire = (c: Commands.Command) => ({
  type: c.type,
  data: EventCodec.EventLogCodec.encodeData(Commands.CommandEvents[c.type], c.data)
})
const failure = (r: Result.Result<unknown, Input.InputError>) =>
  Result.isFailure(r) ? `${r.failure.field} [${r.failure.rule}]` : "accepted"

describe("Input", () => {
  test.prop([Arbitraries.command])("decodes the wire form of every valid command back to it", (c) => {
    const { facts: _, ...plain } = c as Commands.Command & { facts?: unknown }
    const decoded = Input.decodeCommand(JSON.parse(JSON.stringify(wire(c))))
    expect(decoded).toEqual(Result.succeed(plain))
  })

  it("names the field and the rule of a bad input", () => {
    const attendance = { classId: "C1", sessionId: "S1", memberId: "M1", minutes: 90 }
    expect(failure(Input.decodeCommand({ type: "RecordAttendance", data: attendance }))).toBe("accepted")
    expect(failure(Input.decodeCommand({ type: "RecordAttendance", data: { ...attendance, minutes: 0 } }))).toBe(
      "data.minutes [event.schema]"
    )
    expect(failure(Input.decodeCommand({ type: "RecordAttendance", data: { ...attendance, extra: 1 } }))).toBe(
      "data.extra [event.schema]"
    )
    expect(failure(Input.decodeCommand({ type: "RecordAttendance", data: { ...attendance, classId: "班 1" } }))).toBe(
      "data.classId [stream.format]"
    )
    expect(failure(Input.decodeCommand({ type: "RecordAttendence", data: attendance }))).toBe("type [event.type]")
    expect(failure(Input.decodeCommand("RecordAttendance"))).toBe(" [line.object]")
    const grant = {
      memberId: "M1",
      grantId: "G1",
      year: 2025,
      hours: 1.255,
      source: { kind: "external", system: "s", reference: "r" },
      policyId: "p",
      at: "2025-03-04T19:00:00+08:00"
    }
    expect(failure(Input.command("GrantCredit", grant))).toBe("data.hours [event.schema]")
    expect(failure(Input.command("GrantCredit", { ...grant, hours: 1.25, at: "2025-03-04 19:00" }))).toBe(
      "data.at [event.schema]"
    )
    expect(Input.command("GrantCredit", { ...grant, hours: 1.25 }).pipe(Result.map((c) => c.data.hours))).toEqual(
      Result.succeed(125)
    )
  })

  it("brands ids, dates, instants and hours, or names what is wrong", () => {
    expect(Input.memberId("M-1")).toEqual(Result.succeed("M-1"))
    expect(failure(Input.memberId("-M1"))).toBe("memberId [event.schema]")
    expect(Input.localDate("2024-02-29")).toEqual(Result.succeed("2024-02-29"))
    expect(failure(Input.localDate("2025-13-45", "asOf"))).toBe("asOf [event.schema]")
    expect(failure(Input.localDate("2025-02-29"))).toBe("date [event.schema]")
    expect(failure(Input.instant("2025-03-04T19:00:00"))).toBe("at [event.schema]")
    expect(Input.hours(32.5)).toEqual(Result.succeed(3250))
    expect(failure(Input.hours(0.125))).toBe("hours [event.schema]")
    expect(failure(Input.hours(-1))).toBe("hours [event.schema]")
  })
})
