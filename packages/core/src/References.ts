/**
 * Integrity across streams: the schools, members, classes and sessions that an
 * event names must exist (and a member who enrols must not be deregistered).
 *
 * The rules live here once. The log validator checks them against the streams it
 * has replayed; command handling checks them against the streams it loads from
 * the store; both name the same rule ids (`class.unknownSchool`,
 * `enrollment.unknownMember`, `credit.unknownSession`, …).
 *
 * @since 0.1.0
 */
import type { ClassState } from "./ClassDecider.js"
import type { ReferencedFacts } from "./Decider.js"
import type { DomainEvent } from "./Events.js"
import type { SessionId } from "./Ids.js"
import type { MemberState } from "./MemberDecider.js"
import { type RuleViolation, violation } from "./Rules.js"
import type { SchoolState } from "./SchoolDecider.js"
import { tierRank } from "./Vocabulary.js"

/**
 * What the reference rules need to know of other streams. Each answers
 * `undefined` for a stream with no event.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReferenceLookup {
  readonly school: (schoolId: string) => SchoolState | undefined
  readonly member: (memberId: string) => MemberState | undefined
  /** A session of a class: `undefined` when the class or the session is unknown. */
  readonly session: (classId: string, sessionId: string) => { readonly cancelled: boolean } | undefined
}

/**
 * A session as a class stream's state knows it (`undefined` for an unknown class
 * or session): the {@link ReferenceLookup} `session` answer.
 *
 * @category rules
 * @since 0.1.0
 */
export const sessionIn = (
  state: ClassState | undefined,
  sessionId: string
): { readonly cancelled: boolean } | undefined => {
  if (state === undefined || state.status === "new") return undefined
  return state.sessions.get(sessionId as SessionId)
}

/**
 * The streams whose state {@link checkReferences} reads for an event (none for
 * most events).
 *
 * @category utils
 * @since 0.1.0
 */
export const referencedStreams = (event: DomainEvent): ReadonlyArray<string> => {
  switch (event.type) {
    case "SchoolRegistered":
      return event.data.parentId === undefined ? [] : [`school-${event.data.parentId}`]
    case "MemberRegistered":
    case "MemberTransferred":
    case "ClassPlanned":
      return [`school-${event.data.schoolId}`]
    case "MemberEnrolled":
      return [`member-${event.data.memberId}`]
    case "CreditGranted": {
      const src = event.data.source
      return src.kind === "session"
        ? [`member-${event.data.memberId}`, `class-${src.classId}`]
        : [`member-${event.data.memberId}`]
    }
    default:
      return []
  }
}

/**
 * The outcome of the reference rules: the first one broken, and the facts of
 * other streams the event's own stream rules need (the enrolling member's
 * categories, for a class's audience).
 *
 * @category models
 * @since 0.1.0
 */
export interface ReferenceCheck {
  readonly facts?: ReferencedFacts
  readonly error?: RuleViolation
}

/**
 * Checks the references of an event against other streams' states.
 *
 * @category rules
 * @since 0.1.0
 */
export const checkReferences = (event: DomainEvent, lookup: ReferenceLookup): ReferenceCheck => {
  switch (event.type) {
    case "SchoolRegistered": {
      if (event.data.parentId === undefined) return {}
      const parent = lookup.school(event.data.parentId)
      if (parent === undefined || parent.status !== "registered") {
        return {
          error: violation("school.unknownParent", "parentId", `parent school ${event.data.parentId} is not registered`)
        }
      }
      if (tierRank[parent.tier] >= tierRank[event.data.tier]) {
        return {
          error: violation(
            "school.parentTier",
            "parentId",
            `a ${parent.tier} school cannot be the parent of a ${event.data.tier} school`
          )
        }
      }
      return {}
    }
    case "MemberRegistered":
    case "MemberTransferred":
    case "ClassPlanned": {
      const s = lookup.school(event.data.schoolId)
      if (s !== undefined && s.status === "registered") return {}
      const rule = event.type === "ClassPlanned" ? "class.unknownSchool" : "member.unknownSchool"
      return { error: violation(rule, "schoolId", `school ${event.data.schoolId} is not registered`) }
    }
    case "MemberEnrolled": {
      const m = lookup.member(event.data.memberId)
      if (m === undefined || m.status !== "active") {
        return {
          error: violation(
            "enrollment.unknownMember",
            "memberId",
            m?.status === "deregistered"
              ? `member ${event.data.memberId} was deregistered`
              : `member ${event.data.memberId} is not a registered member`
          )
        }
      }
      return { facts: { memberCategories: m.categories } }
    }
    case "CreditGranted": {
      const m = lookup.member(event.data.memberId)
      if (m === undefined || m.status === "new") {
        return {
          error: violation("credit.unknownMember", "memberId", `member ${event.data.memberId} is not registered`)
        }
      }
      const src = event.data.source
      if (src.kind === "session") {
        const session = lookup.session(src.classId, src.sessionId)
        if (session === undefined || session.cancelled) {
          return {
            error: violation(
              "credit.unknownSession",
              "source",
              `session ${src.sessionId} of class ${src.classId} is ${session === undefined ? "not scheduled" : "cancelled"}`
            )
          }
        }
      }
      return {}
    }
    default:
      return {}
  }
}
