/**
 * The class decider, as a specification table: given these events, when asked
 * for this event, then these events (or this rule broken).
 *
 * Not here: `class.unknownSchool` and `enrollment.unknownMember` concern other
 * streams (the school, the member); the command handler and the log validator
 * check them. `enrollment.audience` needs the member's categories, which a
 * command carries as facts.
 */
import { ClassDecider, type Ids } from "@xueshi/core"
import { describe, expect, it } from "vitest"
import { ask, given, rulesCovered, table } from "../src/DeciderSpec.js"
import {
  attended,
  cancelled,
  completed,
  corrected,
  enrolled,
  leave,
  madeUp,
  planned,
  rescheduled,
  scheduled,
  withdrawn
} from "./Fixtures.js"

const C1 = planned()
const S1 = scheduled("S1", 90)
const M1 = enrolled("M1")
const ready = [C1, S1, M1] as const
const minutesOf = (sessionId: string) => (s: ClassDecider.ClassState) =>
  s.sessions.get(sessionId as Ids.SessionId)?.minutes
const secretaries = planned({ audience: ["grassrootsSecretary", "committeeMember"] })

const planning = {
  "plans a class": given().when(ask(C1)).then([C1]).so(ask(S1), [S1]),
  "refuses to plan a class twice": given(C1)
    .when(ask(planned({ capacity: 30 })))
    .then("class.alreadyPlanned"),
  "refuses a session of an unplanned class": given().when(ask(S1)).then("class.notPlanned"),
  "refuses an enrolment in an unplanned class": given().when(ask(M1)).then("class.notPlanned"),
  "schedules a session": given(C1).when(ask(S1)).then([S1]).so(ask(S1), "session.duplicateId"),
  "schedules a second session": given(C1, S1)
    .when(ask(scheduled("S2", 45)))
    .then([scheduled("S2", 45)])
    .so(ask(rescheduled("S2", 30)), [rescheduled("S2", 30)]),
  "refuses a session id used before": given(C1, S1)
    .when(ask(scheduled("S1", 45)))
    .then("session.duplicateId"),
  "refuses a session id used by a cancelled session": given(C1, S1, cancelled("S1"))
    .when(ask(S1))
    .then("session.duplicateId"),
  "reschedules a session": given(C1, S1)
    .when(ask(rescheduled("S1", 120)))
    .then([rescheduled("S1", 120)])
    .so(minutesOf("S1"), 120),
  "shortens a session down to the minutes attended": given(...ready, attended("S1", "M1", 60))
    .when(ask(rescheduled("S1", 60)))
    .then([rescheduled("S1", 60)])
    .so(ask(corrected("S1", "M1", 61)), "attendance.exceedsSession"),
  "refuses to shorten a session below the minutes attended": given(...ready, attended("S1", "M1", 60))
    .when(ask(rescheduled("S1", 59)))
    .then("session.belowAttended"),
  "refuses to shorten a session below the minutes made up": given(...ready, madeUp("S1", "M1", 80))
    .when(ask(rescheduled("S1", 45)))
    .then("session.belowAttended"),
  "refuses to reschedule an unknown session": given(C1)
    .when(ask(rescheduled("S9", 90)))
    .then("session.unknown"),
  "cancels a session": given(C1, S1)
    .when(ask(cancelled("S1")))
    .then([cancelled("S1")])
    .so(ask(cancelled("S1")), "session.cancelled"),
  "refuses to cancel a session twice": given(C1, S1, cancelled("S1"))
    .when(ask(cancelled("S1")))
    .then("session.cancelled"),
  "refuses to reschedule a cancelled session": given(C1, S1, cancelled("S1"))
    .when(ask(rescheduled("S1", 90)))
    .then("session.cancelled")
}

const enrolment = {
  "enrols a member": given(C1).when(ask(M1)).then([M1]).so(ask(M1), "enrollment.duplicate"),
  "refuses a member already enrolled": given(C1, M1).when(ask(M1)).then("enrollment.duplicate"),
  "enrols again after a withdrawal": given(C1, M1, withdrawn("M1"))
    .when(ask(M1))
    .then([M1])
    .so(ask(M1), "enrollment.duplicate"),
  "enrols up to the capacity": given(planned({ capacity: 2 }), M1)
    .when(ask(enrolled("M2")))
    .then([enrolled("M2")])
    .so(ask(enrolled("M3")), "enrollment.capacity"),
  "refuses a member beyond the capacity": given(planned({ capacity: 2 }), M1, enrolled("M2"))
    .when(ask(enrolled("M3")))
    .then("enrollment.capacity"),
  "frees a place on withdrawal": given(planned({ capacity: 1 }), M1, withdrawn("M1"))
    .when(ask(enrolled("M2")))
    .then([enrolled("M2")])
    .so(ask(enrolled("M3")), "enrollment.capacity"),
  "enrols a member in the audience": given(secretaries)
    .when(ask(M1, { memberCategories: ["ordinaryMember", "committeeMember"] }))
    .then([M1])
    .so(ask(M1, { memberCategories: ["committeeMember"] }), "enrollment.duplicate"),
  "refuses a member outside the audience": given(secretaries)
    .when(ask(M1, { memberCategories: ["ordinaryMember"] }))
    .then("enrollment.audience"),
  "enrols anyone when the member's categories are not known": given(secretaries)
    .when(ask(M1))
    .then([M1])
    .so(ask(M1), "enrollment.duplicate"),
  "enrols anyone in a class without an audience": given(C1)
    .when(ask(M1, { memberCategories: ["activist"] }))
    .then([M1])
    .so(ask(M1, { memberCategories: ["activist"] }), "enrollment.duplicate"),
  "withdraws an enrolled member": given(C1, M1)
    .when(ask(withdrawn("M1")))
    .then([withdrawn("M1")])
    .so(ask(withdrawn("M1")), "enrollment.notEnrolled"),
  "refuses to withdraw a member not enrolled": given(C1)
    .when(ask(withdrawn("M1")))
    .then("enrollment.notEnrolled"),
  "refuses to withdraw a member twice": given(C1, M1, withdrawn("M1"))
    .when(ask(withdrawn("M1")))
    .then("enrollment.notEnrolled")
}

const attendance = {
  "records attendance": given(...ready)
    .when(ask(attended("S1", "M1", 90)))
    .then([attended("S1", "M1", 90)])
    .so(ask(attended("S1", "M1", 90)), "attendance.duplicate"),
  "records partial attendance": given(...ready)
    .when(ask(attended("S1", "M1", 1)))
    .then([attended("S1", "M1", 1)])
    .so(ask(corrected("S1", "M1", 1)), "correction.noChange"),
  "refuses more minutes than the session has": given(...ready)
    .when(ask(attended("S1", "M1", 91)))
    .then("attendance.exceedsSession"),
  "measures against the rescheduled length": given(...ready, rescheduled("S1", 45))
    .when(ask(attended("S1", "M1", 60)))
    .then("attendance.exceedsSession"),
  "refuses attendance of an unknown session": given(C1, M1)
    .when(ask(attended("S9", "M1")))
    .then("session.unknown"),
  "refuses attendance of a cancelled session": given(...ready, cancelled("S1"))
    .when(ask(attended("S1", "M1")))
    .then("session.cancelled"),
  "refuses attendance of a member not enrolled": given(C1, S1)
    .when(ask(attended("S1", "M1")))
    .then("enrollment.notEnrolled"),
  "refuses attendance of a withdrawn member": given(...ready, withdrawn("M1"))
    .when(ask(attended("S1", "M1")))
    .then("enrollment.notEnrolled"),
  "refuses a second attendance (correct it instead)": given(...ready, attended("S1", "M1", 60))
    .when(ask(attended("S1", "M1", 90)))
    .then("attendance.duplicate"),
  "refuses attendance with leave": given(...ready, leave("S1", "M1"))
    .when(ask(attended("S1", "M1")))
    .then("attendance.withLeave"),
  "refuses attendance of a session already made up": given(...ready, madeUp("S1", "M1"))
    .when(ask(attended("S1", "M1")))
    .then("makeUp.attended"),
  "records attendance again after a correction to 0": given(...ready, attended("S1", "M1"), corrected("S1", "M1", 0))
    .when(ask(attended("S1", "M1", 30)))
    .then([attended("S1", "M1", 30)])
    .so(ask(corrected("S1", "M1", 30)), "correction.noChange")
}

const leaveAndMakeUp = {
  "grants leave": given(...ready)
    .when(ask(leave("S1", "M1")))
    .then([leave("S1", "M1")])
    .so(ask(leave("S1", "M1")), "leave.duplicate"),
  "refuses leave twice": given(...ready, leave("S1", "M1"))
    .when(ask(leave("S1", "M1")))
    .then("leave.duplicate"),
  "refuses leave for an attended session": given(...ready, attended("S1", "M1"))
    .when(ask(leave("S1", "M1")))
    .then("attendance.withLeave"),
  "refuses leave for a member not enrolled": given(C1, S1)
    .when(ask(leave("S1", "M1")))
    .then("enrollment.notEnrolled"),
  "refuses leave for a cancelled session": given(...ready, cancelled("S1"))
    .when(ask(leave("S1", "M1")))
    .then("session.cancelled"),
  "records a make-up of a missed session": given(...ready)
    .when(ask(madeUp("S1", "M1", 90)))
    .then([madeUp("S1", "M1", 90)])
    .so(ask(madeUp("S1", "M1")), "makeUp.duplicate"),
  "records a make-up after leave": given(...ready, leave("S1", "M1"))
    .when(ask(madeUp("S1", "M1")))
    .then([madeUp("S1", "M1")])
    .so(ask(madeUp("S1", "M1")), "makeUp.duplicate"),
  "refuses a make-up of an attended session": given(...ready, attended("S1", "M1", 30))
    .when(ask(madeUp("S1", "M1", 60)))
    .then("makeUp.attended"),
  "refuses a second make-up": given(...ready, madeUp("S1", "M1"))
    .when(ask(madeUp("S1", "M1")))
    .then("makeUp.duplicate"),
  "refuses a make-up longer than the session": given(...ready)
    .when(ask(madeUp("S1", "M1", 91)))
    .then("attendance.exceedsSession"),
  "refuses a make-up of an unknown session": given(C1, M1)
    .when(ask(madeUp("S9", "M1")))
    .then("session.unknown")
}

const corrections = {
  "corrects attended minutes": given(...ready, attended("S1", "M1", 90))
    .when(ask(corrected("S1", "M1", 60)))
    .then([corrected("S1", "M1", 60)])
    .so(ask(corrected("S1", "M1", 60)), "correction.noChange"),
  "corrects attendance to 0 (removes it)": given(...ready, attended("S1", "M1"))
    .when(ask(corrected("S1", "M1", 0)))
    .then([corrected("S1", "M1", 0)])
    .so(ask(attended("S1", "M1", 30)), [attended("S1", "M1", 30)]),
  "corrects missing attendance up from 0": given(...ready)
    .when(ask(corrected("S1", "M1", 45)))
    .then([corrected("S1", "M1", 45)])
    .so(ask(corrected("S1", "M1", 45)), "correction.noChange"),
  "refuses a correction that changes nothing": given(...ready, attended("S1", "M1", 60))
    .when(ask(corrected("S1", "M1", 60)))
    .then("correction.noChange"),
  "refuses a correction to 0 of a session never attended": given(...ready)
    .when(ask(corrected("S1", "M1", 0)))
    .then("correction.noChange"),
  "refuses a correction above the session's minutes": given(...ready, attended("S1", "M1", 60))
    .when(ask(corrected("S1", "M1", 91)))
    .then("attendance.exceedsSession"),
  "refuses a correction up from 0 with leave": given(...ready, leave("S1", "M1"))
    .when(ask(corrected("S1", "M1", 30)))
    .then("attendance.withLeave"),
  "refuses a correction up from 0 after a make-up": given(...ready, madeUp("S1", "M1"))
    .when(ask(corrected("S1", "M1", 30)))
    .then("makeUp.attended"),
  "refuses a correction from 0 for a member not enrolled": given(C1, S1)
    .when(ask(corrected("S1", "M1", 30)))
    .then("enrollment.notEnrolled"),
  "corrects the attendance of a member withdrawn since": given(...ready, attended("S1", "M1", 90), withdrawn("M1"))
    .when(ask(corrected("S1", "M1", 30)))
    .then([corrected("S1", "M1", 30)])
    .so(ask(corrected("S1", "M1", 30)), "correction.noChange"),
  "refuses a correction of a cancelled session": given(...ready, attended("S1", "M1"), cancelled("S1"))
    .when(ask(corrected("S1", "M1", 0)))
    .then("session.cancelled")
}

const completion = {
  "completes a class": given(...ready, attended("S1", "M1"))
    .when(ask(completed()))
    .then([completed()])
    .so(ask(scheduled("S2")), "class.completed"),
  "corrects attendance after completion": given(...ready, attended("S1", "M1", 90), completed())
    .when(ask(corrected("S1", "M1", 0)))
    .then([corrected("S1", "M1", 0)])
    .so(ask(corrected("S1", "M1", 0)), "correction.noChange"),
  "refuses attendance after completion": given(...ready, completed())
    .when(ask(attended("S1", "M1")))
    .then("class.completed"),
  "refuses a new session after completion": given(...ready, completed())
    .when(ask(scheduled("S2")))
    .then("class.completed"),
  "refuses an enrolment after completion": given(C1, completed()).when(ask(M1)).then("class.completed"),
  "refuses to complete twice": given(C1, completed()).when(ask(completed())).then("class.completed"),
  "refuses to plan a completed class again": given(C1, completed()).when(ask(C1)).then("class.alreadyPlanned")
}

describe("ClassDecider", () => {
  describe("planning and sessions", () => table(ClassDecider.ClassDecider, planning))
  describe("enrolment", () => table(ClassDecider.ClassDecider, enrolment))
  describe("attendance", () => table(ClassDecider.ClassDecider, attendance))
  describe("leave and make-up", () => table(ClassDecider.ClassDecider, leaveAndMakeUp))
  describe("corrections", () => table(ClassDecider.ClassDecider, corrections))
  describe("completion", () => table(ClassDecider.ClassDecider, completion))

  it("the tables cover every rule of class streams the decider owns", () => {
    const all = { ...planning, ...enrolment, ...attendance, ...leaveAndMakeUp, ...corrections, ...completion }
    expect([...rulesCovered(all)].sort()).toEqual(
      [
        "class.alreadyPlanned",
        "class.notPlanned",
        "class.completed",
        "session.duplicateId",
        "session.unknown",
        "session.cancelled",
        "session.belowAttended",
        "enrollment.duplicate",
        "enrollment.capacity",
        "enrollment.audience",
        "enrollment.notEnrolled",
        "attendance.duplicate",
        "attendance.exceedsSession",
        "attendance.withLeave",
        "leave.duplicate",
        "makeUp.attended",
        "makeUp.duplicate",
        "correction.noChange"
      ].sort()
    )
  })
})
