// Test helpers: wire lines, validation through the real log validator, accrual round trips.
import type { LogRecord } from "../../src/EventCodec.js"
import { EventLogCodec } from "../../src/EventCodec.js"
import { type DomainEvent, EventCatalogue, type EventType } from "../../src/Events.js"
import * as LogValidator from "../../src/LogValidator.js"
import * as Accrual from "../../src/policy/Accrual.js"
import * as Facts from "../../src/policy/Facts.js"
import type { PolicySet } from "../../src/policy/PolicySet.js"

export interface Wire {
  readonly stream: string
  readonly type: EventType
  readonly data: Record<string, unknown>
}

export const w = (type: EventType, data: Record<string, unknown>): Wire => {
  const e = EventCatalogue[type]
  return { stream: `${e.category}-${String(data[e.idField])}`, type, data }
}

/** Validates wire lines with the log validator and returns the typed records (throws on the first error). */
export const validate = (lines: ReadonlyArray<Wire>): Array<LogRecord> => {
  const r = LogValidator.validateLines(lines.map((l) => JSON.stringify(l)))
  if (!r.ok) throw new Error(r.errors.map(LogValidator.describeLogError).join("\n"))
  return [...r.records]
}

export const toWire = (events: ReadonlyArray<DomainEvent>): Array<Wire> =>
  events.map((e) => w(e.type, EventLogCodec.encodeData(e.type, e.data)))

export const foldFacts = (events: Iterable<DomainEvent>, tz = "Asia/Shanghai"): Facts.FactsState => {
  const s = Facts.emptyFacts()
  for (const e of events) Facts.applyFact(s, e, tz)
  return s
}

/** Runs accrual over valid lines and appends its commands as credit lines (validated). */
export const withAccrual = (
  lines: ReadonlyArray<Wire>,
  policy: PolicySet
): { lines: Array<Wire>; records: Array<LogRecord>; commands: Array<Accrual.CreditCommand> } => {
  const records = validate(lines)
  const commands = Accrual.accrueAll(foldFacts(records, policy.timeZone), policy)
  const all = [...lines, ...toWire(Accrual.toEvents(commands))]
  return { lines: all, records: validate(all), commands }
}

// builders --------------------------------------------------------------------

export const school = (schoolId: string, tier: string, parentId?: string): Wire =>
  w("SchoolRegistered", { schoolId, name: `school ${schoolId}`, tier, ...(parentId === undefined ? {} : { parentId }) })

export const member = (
  memberId: string,
  schoolId: string,
  categories: ReadonlyArray<string>,
  joinedOn?: string
): Wire => w("MemberRegistered", { memberId, schoolId, categories, ...(joinedOn === undefined ? {} : { joinedOn }) })

export const klass = (classId: string, schoolId: string, format = "concentrated", module?: string): Wire =>
  w("ClassPlanned", {
    classId,
    schoolId,
    title: `class ${classId}`,
    format,
    ...(module === undefined ? {} : { module })
  })

export const session = (
  classId: string,
  sessionId: string,
  startsAt: string,
  minutes: number,
  category = "theory",
  mode = "inPerson",
  tags?: ReadonlyArray<string>
): Wire =>
  w("SessionScheduled", {
    classId,
    sessionId,
    title: `session ${sessionId}`,
    category,
    startsAt,
    minutes,
    mode,
    ...(tags === undefined ? {} : { tags })
  })

export const enrol = (classId: string, memberId: string, at = "2025-01-02T09:00:00+08:00"): Wire =>
  w("MemberEnrolled", { classId, memberId, at })

export const attend = (classId: string, sessionId: string, memberId: string, minutes: number): Wire =>
  w("AttendanceRecorded", { classId, sessionId, memberId, minutes })

export const leave = (classId: string, sessionId: string, memberId: string): Wire =>
  w("LeaveGranted", { classId, sessionId, memberId, reason: "sick" })

export const correct = (classId: string, sessionId: string, memberId: string, minutes: number): Wire =>
  w("AttendanceCorrected", { classId, sessionId, memberId, minutes, reason: "sign-in sheet" })

export const complete = (classId: string, at: string): Wire => w("ClassCompleted", { classId, at })
