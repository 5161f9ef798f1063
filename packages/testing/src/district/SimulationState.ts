/**
 * The state of the random shape's simulation: members, sessions and classes as
 * the simulation sees them, the pending tasks, and what a task can do (emit
 * an event, spawn a task, read the clock).
 *
 * @since 0.1.0
 */
import type { Calendar, Events, Ids, Vocabulary } from "@xueshi/core"
import type { Random } from "../Random.js"
import type { DistrictConfig } from "./Config.js"
import type { SchoolNode } from "./Schools.js"

/**
 * The categories of a registration (non-empty).
 *
 * @category models
 * @since 0.1.0
 */
export type NonEmptyCategories = Events.PayloadOf<"MemberRegistered">["categories"]

/**
 * The simulation's state of a member.
 *
 * @category models
 * @since 0.1.0
 */
export interface MemberSim {
  readonly id: Ids.MemberId
  schoolId: Ids.SchoolId
  categories: Array<Vocabulary.TraineeCategory>
  status: "new" | "active" | "deregistered"
  readonly exemptions: Set<number>
  readonly grants: Map<string, boolean>
}

/**
 * The simulation's state of a session.
 *
 * @category models
 * @since 0.1.0
 */
export interface SessionSim {
  readonly id: Ids.SessionId
  minutes: number
  startsAt: string
  readonly category: Vocabulary.CourseCategory
  readonly mode: Vocabulary.SessionMode
  cancelled: boolean
  readonly attended: Map<Ids.MemberId, number>
  readonly leave: Set<Ids.MemberId>
  readonly madeUp: Map<Ids.MemberId, number>
}

/**
 * The simulation's state of a class.
 *
 * @category models
 * @since 0.1.0
 */
export interface ClassSim {
  readonly id: Ids.ClassId
  readonly schoolId: Ids.SchoolId
  readonly audience?: ReadonlyArray<Vocabulary.TraineeCategory>
  readonly capacity?: number
  readonly sessions: Array<SessionSim>
  readonly enrolled: Map<Ids.MemberId, boolean>
  enrolledCount: number
  completed: boolean
  pending: number
}

/**
 * The simulation's state of a pending task (of a class, if `owner`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Task {
  readonly run: () => void
  readonly owner?: ClassSim
}

/**
 * What a task of the simulation sees and can do.
 *
 * @category models
 * @since 0.1.0
 */
export interface Simulation {
  readonly r: Random
  readonly config: DistrictConfig
  readonly year: number
  /** Writes an event as the next line (and advances the clock). */
  readonly emit: <T extends Events.EventType>(type: T, data: Events.PayloadOf<T>) => void
  /** The current instant. */
  readonly at: () => Calendar.Instant
  /** The current local date. */
  readonly today: () => Calendar.LocalDate
  /** Adds a task to the pool (counted against its class, if `owner`). */
  readonly spawn: (run: () => void, owner?: ClassSim) => void
  /** Tasks run once the pool is empty (deregistrations at the end of the year). */
  readonly finale: Array<Task>
  readonly activeMembers: Array<MemberSim>
  readonly registeredSchools: Array<SchoolNode>
  readonly memberById: ReadonlyMap<string, MemberSim>
}
