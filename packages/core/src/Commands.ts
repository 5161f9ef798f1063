/**
 * Commands: intents addressed to a stream, one per event type. A command carries
 * the payload of the event it asks for, and optionally {@link ReferencedFacts} from other
 * streams that its rules need; its decider accepts or refuses it.
 *
 * @since 0.1.0
 */
import type { ReferencedFacts } from "./Decider.js"
import type { EventOf, EventType, PayloadOf } from "./Events.js"

/**
 * Each command type and the event type it asks for.
 *
 * @category values
 * @since 0.1.0
 */
export const CommandEvents = {
  RegisterSchool: "SchoolRegistered",
  ClaimQuota: "QuotaClaimed",
  RegisterMember: "MemberRegistered",
  ChangeMemberCategories: "MemberCategoriesChanged",
  TransferMember: "MemberTransferred",
  GrantExemption: "ExemptionGranted",
  RevokeExemption: "ExemptionRevoked",
  DeregisterMember: "MemberDeregistered",
  PlanClass: "ClassPlanned",
  ScheduleSession: "SessionScheduled",
  RescheduleSession: "SessionRescheduled",
  CancelSession: "SessionCancelled",
  EnrollMember: "MemberEnrolled",
  WithdrawEnrollment: "EnrollmentWithdrawn",
  RecordAttendance: "AttendanceRecorded",
  GrantLeave: "LeaveGranted",
  CompleteMakeUp: "MakeUpCompleted",
  CorrectAttendance: "AttendanceCorrected",
  CompleteClass: "ClassCompleted",
  GrantCredit: "CreditGranted",
  RevokeCredit: "CreditRevoked"
} as const satisfies Record<string, EventType>

type CommandEventMap = typeof CommandEvents

/**
 * The name of a command type.
 *
 * @category models
 * @since 0.1.0
 */
export type CommandType = keyof CommandEventMap

/**
 * A command: its type, the payload of the event it asks for, and optional facts.
 *
 * @category models
 * @since 0.1.0
 */
export type Command = {
  [C in CommandType]: {
    readonly type: C
    readonly data: PayloadOf<CommandEventMap[C]>
    readonly facts?: ReferencedFacts
  }
}[CommandType]

/**
 * The command of one type.
 *
 * @category models
 * @since 0.1.0
 */
export type CommandOf<C extends CommandType> = Extract<Command, { readonly type: C }>

/**
 * Commands whose event belongs to a given set of events.
 *
 * @category models
 * @since 0.1.0
 */
export type CommandFor<E extends { readonly type: EventType }> = {
  [C in CommandType]: CommandEventMap[C] extends E["type"] ? CommandOf<C> : never
}[CommandType]

/**
 * Makes a command.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeCommand = <C extends CommandType>(
  type: C,
  data: PayloadOf<CommandEventMap[C]>,
  facts?: ReferencedFacts
): CommandOf<C> => (facts === undefined ? { type, data } : { type, data, facts }) as unknown as CommandOf<C>

/**
 * The event a command asks for (before its rules are checked).
 *
 * @category utils
 * @since 0.1.0
 */
export const eventOfCommand = <C extends Command>(command: C): EventOf<CommandEventMap[C["type"]]> =>
  ({ type: CommandEvents[command.type], data: command.data }) as unknown as EventOf<CommandEventMap[C["type"]]>
