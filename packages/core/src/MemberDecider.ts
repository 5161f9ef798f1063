/**
 * The decider of `member-…` streams.
 *
 * @since 0.1.0
 */
import type { CommandFor } from "./Commands.js"
import { eventOfCommand } from "./Commands.js"
import { decideWith, type StreamKind } from "./Decider.js"
import type { MemberEvent } from "./Events.js"
import type { MemberId, SchoolId } from "./Ids.js"
import { violation } from "./Rules.js"
import type { ExemptionReason, TraineeCategory } from "./Vocabulary.js"

/**
 * The state of a member stream.
 *
 * @category models
 * @since 0.1.0
 */
export type MemberState =
  | { readonly status: "new" }
  | {
      readonly status: "active" | "deregistered"
      readonly memberId: MemberId
      readonly schoolId: SchoolId
      readonly categories: ReadonlyArray<TraineeCategory>
      readonly joinedOn?: string
      /** Exemptions by year. */
      readonly exemptions: ReadonlyMap<number, ExemptionReason>
    }

/**
 * Commands of member streams.
 *
 * @category models
 * @since 0.1.0
 */
export type MemberCommand = CommandFor<MemberEvent>

const initialState: MemberState = { status: "new" }

const check = (state: MemberState, event: MemberEvent) => {
  if (event.type === "MemberRegistered") {
    return state.status === "new"
      ? undefined
      : violation("member.alreadyRegistered", "memberId", `member ${event.data.memberId} is already registered`)
  }
  if (state.status === "new") {
    return violation("member.notRegistered", "memberId", `member ${event.data.memberId} is not registered`)
  }
  if (state.status === "deregistered") {
    return violation("member.deregistered", "memberId", `member ${event.data.memberId} was deregistered`)
  }
  switch (event.type) {
    case "MemberTransferred":
      return event.data.schoolId === state.schoolId
        ? violation(
            "member.transferSameSchool",
            "schoolId",
            `member ${state.memberId} already belongs to ${state.schoolId}`
          )
        : undefined
    case "ExemptionGranted":
      return state.exemptions.has(event.data.year)
        ? violation("exemption.duplicate", "year", `member ${state.memberId} is already exempt for ${event.data.year}`)
        : undefined
    case "ExemptionRevoked":
      return state.exemptions.has(event.data.year)
        ? undefined
        : violation("exemption.notGranted", "year", `member ${state.memberId} has no exemption for ${event.data.year}`)
    default:
      return undefined
  }
}

const evolve = (state: MemberState, event: MemberEvent): MemberState => {
  if (event.type === "MemberRegistered") {
    const d = event.data
    return {
      status: "active",
      memberId: d.memberId,
      schoolId: d.schoolId,
      categories: d.categories,
      ...(d.joinedOn === undefined ? {} : { joinedOn: d.joinedOn }),
      exemptions: new Map()
    }
  }
  if (state.status === "new") return state
  switch (event.type) {
    case "MemberCategoriesChanged":
      return { ...state, categories: event.data.categories }
    case "MemberTransferred":
      return { ...state, schoolId: event.data.schoolId }
    case "ExemptionGranted":
      return { ...state, exemptions: new Map(state.exemptions).set(event.data.year, event.data.reason) }
    case "ExemptionRevoked": {
      const exemptions = new Map(state.exemptions)
      exemptions.delete(event.data.year)
      return { ...state, exemptions }
    }
    case "MemberDeregistered":
      return { ...state, status: "deregistered" }
  }
}

/**
 * The member stream kind: one registration, nothing after deregistration, one
 * exemption per member-year, transfers to another school.
 *
 * @category deciders
 * @since 0.1.0
 */
export const MemberDecider: StreamKind<MemberCommand, MemberEvent, MemberState> = {
  category: "member",
  initialState,
  evolve,
  check,
  decide: decideWith((c: MemberCommand) => [eventOfCommand(c) as MemberEvent], check, evolve)
}
