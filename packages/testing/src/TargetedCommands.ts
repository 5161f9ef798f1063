/**
 * Commands aimed at the streams of a history: arbitrary commands (valid by
 * their payload schema) whose ids are, most of the time, the ids the history
 * uses (its schools, members, classes, sessions of those classes, grants of
 * those members), and whose numbers are often near the limits (minutes of the
 * session, ± 1). Some succeed, many break a rule: that is the point.
 *
 * @since 0.1.0
 */
import { Commands, Events } from "@xueshi/core"
import fc from "fast-check"
import * as Arbitraries from "./Arbitraries.js"
import type { History } from "./District.js"
import { makeRandom } from "./Random.js"

/**
 * The ids a history uses.
 *
 * @category models
 * @since 0.1.0
 */
export interface HistoryIds {
  readonly schools: ReadonlyArray<string>
  readonly members: ReadonlyArray<string>
  readonly classes: ReadonlyArray<string>
  /** Sessions by class, with their latest minutes. */
  readonly sessions: ReadonlyMap<string, ReadonlyArray<{ readonly id: string; readonly minutes: number }>>
  /** Grant ids by member. */
  readonly grants: ReadonlyMap<string, ReadonlyArray<string>>
  /** Years named by the history. */
  readonly years: ReadonlyArray<number>
}

/**
 * Collects the ids a history uses.
 *
 * @category utils
 * @since 0.1.0
 */
export const idsOf = (history: History): HistoryIds => {
  const schools = new Set<string>()
  const members = new Set<string>()
  const classes = new Set<string>()
  const sessions = new Map<string, Map<string, number>>()
  const grants = new Map<string, Array<string>>()
  const years = new Set<number>()
  for (const l of history) {
    // biome-ignore lint/suspicious/noExplicitAny: reads the id fields of any event type
    const d = l.data as unknown as Record<string, any>
    if (typeof d.schoolId === "string") schools.add(d.schoolId)
    if (typeof d.memberId === "string") members.add(d.memberId)
    if (typeof d.classId === "string") classes.add(d.classId)
    if (typeof d.year === "number") years.add(d.year)
    if ((l.type === "SessionScheduled" || l.type === "SessionRescheduled") && typeof d.sessionId === "string") {
      const m = sessions.get(d.classId) ?? new Map<string, number>()
      m.set(d.sessionId, d.minutes)
      sessions.set(d.classId, m)
    }
    if (l.type === "CreditGranted") grants.set(d.memberId, [...(grants.get(d.memberId) ?? []), d.grantId])
  }
  return {
    schools: [...schools],
    members: [...members],
    classes: [...classes],
    sessions: new Map([...sessions].map(([c, m]) => [c, [...m].map(([id, minutes]) => ({ id, minutes }))])),
    grants,
    years: [...years]
  }
}

/**
 * Re-aims a command at a history's ids, driven by a seed.
 *
 * @category utils
 * @since 0.1.0
 */
export const retarget = (command: Commands.Command, ids: HistoryIds, seed: number): Commands.Command => {
  const r = makeRandom(seed)
  // biome-ignore lint/suspicious/noExplicitAny: rewrites the id fields of any command type
  const data = { ...(command.data as unknown as Record<string, any>) }
  const often = (p: number, pool: ReadonlyArray<string>, key: string) => {
    if (key in data && pool.length > 0 && r.chance(p)) data[key] = r.pick(pool)
  }
  often(0.85, ids.schools, "schoolId")
  often(0.85, ids.members, "memberId")
  often(0.85, ids.classes, "classId")
  if ("parentId" in data) often(0.8, ids.schools, "parentId")
  if ("year" in data && ids.years.length > 0 && r.chance(0.7)) data.year = r.pick(ids.years)
  const sessions = typeof data.classId === "string" ? (ids.sessions.get(data.classId) ?? []) : []
  if ("sessionId" in data && sessions.length > 0 && r.chance(0.85)) {
    const s = r.pick(sessions)
    data.sessionId = s.id
    if (typeof data.minutes === "number" && r.chance(0.6)) {
      const min = command.type === "CorrectAttendance" ? 0 : 1
      data.minutes = Math.max(min, Math.min(1440, s.minutes + r.pick([-1, 0, 0, 1, -s.minutes + 1, -5])))
    }
  }
  const grants = typeof data.memberId === "string" ? (ids.grants.get(data.memberId) ?? []) : []
  if ("grantId" in data && grants.length > 0 && r.chance(0.7)) data.grantId = r.pick(grants)
  if (data.source !== undefined && data.source.kind === "session" && r.chance(0.8)) {
    const classId = ids.classes.length > 0 ? r.pick(ids.classes) : data.source.classId
    const ss = ids.sessions.get(classId) ?? []
    data.source = { kind: "session", classId, sessionId: ss.length > 0 ? r.pick(ss).id : data.source.sessionId }
  }
  return Commands.makeCommand(command.type, data as never, command.facts) as Commands.Command
}

/**
 * Commands aimed at a history's streams.
 *
 * @category utils
 * @since 0.1.0
 */
export const commandAgainst = (history: History): fc.Arbitrary<Commands.Command> => {
  const ids = idsOf(history)
  return fc.tuple(Arbitraries.command, fc.integer()).map(([c, seed]) => retarget(c, ids, seed))
}

/**
 * The stream a command addresses (the stream of the event it asks for).
 *
 * @category utils
 * @since 0.1.0
 */
export const streamOfCommand = (command: Commands.Command): string =>
  Events.streamOf(Commands.eventOfCommand(command) as Events.DomainEvent)
