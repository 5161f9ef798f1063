/**
 * The decider of `school-…` streams.
 *
 * @since 0.1.0
 */
import type { CommandFor } from "./Commands.js"
import { eventOfCommand } from "./Commands.js"
import { decideWith, type StreamKind } from "./Decider.js"
import type { SchoolEvent } from "./Events.js"
import type { SchoolId } from "./Ids.js"
import { violation } from "./Rules.js"
import type { SchoolTier } from "./Vocabulary.js"

/**
 * A school's quota claim for a year.
 *
 * @category models
 * @since 0.1.0
 */
export interface QuotaClaim {
  readonly traineeTimes: number
  readonly classes?: number
}

/**
 * The state of a school stream.
 *
 * @category models
 * @since 0.1.0
 */
export type SchoolState =
  | { readonly status: "new" }
  | {
      readonly status: "registered"
      readonly schoolId: SchoolId
      readonly name: string
      readonly tier: SchoolTier
      readonly parentId?: SchoolId
      /** Quota claims by year; a later claim replaces an earlier one. */
      readonly quotas: ReadonlyMap<number, QuotaClaim>
    }

/**
 * Commands of school streams.
 *
 * @category models
 * @since 0.1.0
 */
export type SchoolCommand = CommandFor<SchoolEvent>

const initialState: SchoolState = { status: "new" }

const check = (state: SchoolState, event: SchoolEvent) => {
  switch (event.type) {
    case "SchoolRegistered":
      return state.status === "new"
        ? undefined
        : violation("school.alreadyRegistered", "schoolId", `school ${event.data.schoolId} is already registered`)
    case "QuotaClaimed":
      return state.status === "registered"
        ? undefined
        : violation("school.notRegistered", "schoolId", `school ${event.data.schoolId} is not registered`)
  }
}

const evolve = (state: SchoolState, event: SchoolEvent): SchoolState => {
  switch (event.type) {
    case "SchoolRegistered": {
      const d = event.data
      return {
        status: "registered",
        schoolId: d.schoolId,
        name: d.name,
        tier: d.tier,
        ...(d.parentId === undefined ? {} : { parentId: d.parentId }),
        quotas: new Map()
      }
    }
    case "QuotaClaimed": {
      if (state.status !== "registered") return state
      const quotas = new Map(state.quotas)
      const d = event.data
      quotas.set(
        d.year,
        d.classes === undefined
          ? { traineeTimes: d.traineeTimes }
          : { traineeTimes: d.traineeTimes, classes: d.classes }
      )
      return { ...state, quotas }
    }
  }
}

/**
 * The school stream kind: registration once, quota claims after registration.
 *
 * @category deciders
 * @since 0.1.0
 */
export const SchoolDecider: StreamKind<SchoolCommand, SchoolEvent, SchoolState> = {
  category: "school",
  initialState,
  evolve,
  check,
  decide: decideWith((c: SchoolCommand) => [eventOfCommand(c) as SchoolEvent], check, evolve)
}
