/**
 * Small builders of events for the specification tables: short, positional,
 * with plausible defaults, so a table row reads like a sentence.
 */
import { Events, type Hours } from "@xueshi/core"

type P<T extends Events.EventType> = Events.PayloadOf<T>
const e = <T extends Events.EventType>(type: T, data: Record<string, unknown>): Events.EventOf<T> =>
  Events.makeEvent(type, data as unknown as P<T>)

export const T0 = "2025-03-04T19:00:00+08:00"

// school-…
export const schoolRegistered = (schoolId: string, tier = "district", parentId?: string) =>
  e("SchoolRegistered", { schoolId, name: `${schoolId} 党校`, tier, ...(parentId === undefined ? {} : { parentId }) })
export const quotaClaimed = (schoolId: string, year = 2025, traineeTimes = 600) =>
  e("QuotaClaimed", { schoolId, year, traineeTimes })

// member-…
export const memberRegistered = (
  memberId: string,
  schoolId = "XQ",
  categories: ReadonlyArray<string> = ["ordinaryMember"]
) => e("MemberRegistered", { memberId, schoolId, categories })
export const categoriesChanged = (memberId: string, categories: ReadonlyArray<string>) =>
  e("MemberCategoriesChanged", { memberId, categories, effectiveOn: "2025-05-01" })
export const transferred = (memberId: string, schoolId: string) =>
  e("MemberTransferred", { memberId, schoolId, effectiveOn: "2025-06-01" })
export const exemptionGranted = (memberId: string, year = 2025) =>
  e("ExemptionGranted", { memberId, year, reason: "elderlyOrInfirm" })
export const exemptionRevoked = (memberId: string, year = 2025) => e("ExemptionRevoked", { memberId, year })
export const deregistered = (memberId: string) =>
  e("MemberDeregistered", { memberId, effectiveOn: "2025-12-01", reason: "转出本区" })

// class-C1
export const planned = (options: { audience?: ReadonlyArray<string>; capacity?: number } = {}) =>
  e("ClassPlanned", { classId: "C1", schoolId: "XQ", title: "湖畔讲堂夜校", format: "concentrated", ...options })
export const scheduled = (sessionId: string, minutes = 90) =>
  e("SessionScheduled", {
    classId: "C1",
    sessionId,
    title: "党的二十大精神",
    category: "theory",
    startsAt: T0,
    minutes,
    mode: "inPerson",
    tags: ["newThought"]
  })
export const rescheduled = (sessionId: string, minutes: number) =>
  e("SessionRescheduled", { classId: "C1", sessionId, startsAt: "2025-03-11T19:00:00+08:00", minutes })
export const cancelled = (sessionId: string) => e("SessionCancelled", { classId: "C1", sessionId, reason: "天气原因" })
export const enrolled = (memberId: string) =>
  e("MemberEnrolled", { classId: "C1", memberId, at: "2025-03-01T10:00:00+08:00" })
export const withdrawn = (memberId: string) =>
  e("EnrollmentWithdrawn", { classId: "C1", memberId, at: "2025-03-20T10:00:00+08:00", reason: "工作调动" })
export const attended = (sessionId: string, memberId: string, minutes = 90) =>
  e("AttendanceRecorded", { classId: "C1", sessionId, memberId, minutes })
export const leave = (sessionId: string, memberId: string) =>
  e("LeaveGranted", { classId: "C1", sessionId, memberId, reason: "病假" })
export const madeUp = (sessionId: string, memberId: string, minutes = 90) =>
  e("MakeUpCompleted", { classId: "C1", sessionId, memberId, minutes, at: "2025-03-15T10:00:00+08:00", mode: "online" })
export const corrected = (sessionId: string, memberId: string, minutes: number) =>
  e("AttendanceCorrected", { classId: "C1", sessionId, memberId, minutes, reason: "考勤更正" })
export const completed = () => e("ClassCompleted", { classId: "C1", at: "2025-04-30T17:00:00+08:00" })

// credit-M1
export const granted = (grantId: string, hours = 200, memberId = "M1") =>
  e("CreditGranted", {
    memberId,
    grantId,
    year: 2025,
    hours: hours as Hours.Hours,
    source: { kind: "session", classId: "C1", sessionId: "S1" },
    policyId: "linear-45",
    at: T0
  })
export const revoked = (grantId: string, memberId = "M1") =>
  e("CreditRevoked", { memberId, grantId, reason: "考勤更正", at: "2025-05-01T09:00:00+08:00" })
