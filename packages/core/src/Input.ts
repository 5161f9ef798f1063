/**
 * Plain inputs at the boundary: commands, ids, dates, instants and hours from
 * plain strings and numbers (a form, a JSON body, a sheet), validated and
 * branded, or a typed {@link InputError} naming the field and the rule.
 *
 * ```ts
 * const command = Input.decodeCommand({
 *   type: "RecordAttendance",
 *   data: { classId: "C1", sessionId: "S1", memberId: "M1", minutes: 90 }
 * }) // Result<Command, InputError>
 * ```
 *
 * Payloads are read in their wire form (the event-log-v1 form: hours as a
 * number of hours with at most two decimals, times as ISO 8601 with an offset),
 * by the same codec as log lines, so a command accepted here is a line the log
 * validator accepts.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Calendar from "./Calendar.js"
import { type Command, CommandEvents, type CommandOf, type CommandType, eventOfCommand } from "./Commands.js"
import { EventLogCodec } from "./EventCodec.js"
import * as Events from "./Events.js"
import { EventCatalogue } from "./Events.js"
import * as Hours from "./Hours.js"
import * as Ids from "./Ids.js"
import { type RuleId, RuleIdSchema } from "./Rules.js"

/**
 * A plain input is not valid: the field (`data.minutes`, `type`, …), the rule
 * it breaks (a rule id of the catalogue) and what is wrong.
 *
 * @category errors
 * @since 0.1.0
 */
export class InputError extends Schema.TaggedError<InputError>()("InputError", {
  field: Schema.String,
  rule: RuleIdSchema,
  message: Schema.String
}) {}

const fail = (field: string, rule: RuleId, message: string) => Result.fail(new InputError({ field, rule, message }))

/**
 * The stream a command is addressed to (`class-C1` for a class command about `C1`).
 *
 * @category utils
 * @since 0.1.0
 */
export const streamOf = (command: Command): string => Events.streamOf(eventOfCommand(command) as Events.DomainEvent)

const isCommandType = (u: unknown): u is CommandType => typeof u === "string" && Object.hasOwn(CommandEvents, u)

/**
 * A command of a given type from its plain payload (wire form).
 *
 * @category utils
 * @since 0.1.0
 */
export const command = <C extends CommandType>(type: C, data: unknown): Result.Result<CommandOf<C>, InputError> => {
  const eventType = CommandEvents[type]
  const { category, idField } = EventCatalogue[eventType]
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return fail("data", "event.schema", `the data of ${type} must be an object`)
  }
  const id = (data as Record<string, unknown>)[idField]
  if (typeof id !== "string") return fail(`data.${idField}`, "event.schema", `${idField} is required (a string)`)
  if (!Ids.STREAM_ID_PATTERN.test(id)) {
    return fail(
      `data.${idField}`,
      "stream.format",
      `${idField} ${JSON.stringify(id)} is not an id ([A-Za-z0-9][A-Za-z0-9._:-]{0,63})`
    )
  }
  const decoded = EventLogCodec.decodeRecord({ stream: `${category}-${id}`, type: eventType, data })
  if (Result.isFailure(decoded)) {
    const v = decoded.failure
    return fail(v.path === "" ? "data" : v.path, v.rule, v.message)
  }
  return Result.succeed({ type, data: decoded.success.data } as unknown as CommandOf<C>)
}

/**
 * A command from a plain `{ type, data }` value (a JSON body).
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeCommand = (input: unknown): Result.Result<Command, InputError> => {
  if (typeof input !== "object" || input === null)
    return fail("", "line.object", "a command is an object { type, data }")
  const { type, data } = input as { type?: unknown; data?: unknown }
  if (!isCommandType(type)) {
    return fail(
      "type",
      "event.type",
      `unknown command type ${JSON.stringify(type)} (one of ${Object.keys(CommandEvents).join(", ")})`
    )
  }
  return command(type, data) as Result.Result<Command, InputError>
}

const idOf =
  <B>(schema: Schema.Codec<B, string>, what: string) =>
  (text: string, field: string = what): Result.Result<B, InputError> =>
    Schema.is(schema)(text)
      ? Result.succeed(text as unknown as B)
      : fail(field, "event.schema", `${JSON.stringify(text)} is not a valid ${what}`)

/**
 * A school id from a string.
 *
 * @category utils
 * @since 0.1.0
 */
export const schoolId = idOf(Ids.SchoolId, "schoolId")
/**
 * A member id from a string.
 *
 * @category utils
 * @since 0.1.0
 */
export const memberId = idOf(Ids.MemberId, "memberId")
/**
 * A class id from a string.
 *
 * @category utils
 * @since 0.1.0
 */
export const classId = idOf(Ids.ClassId, "classId")
/**
 * A session id from a string.
 *
 * @category rules
 * @since 0.1.0
 */
export const sessionId = idOf(Ids.SessionId, "sessionId")

/**
 * A business date (`YYYY-MM-DD`, a real calendar day) from a string.
 *
 * @category utils
 * @since 0.1.0
 */
export const localDate = (text: string, field: string = "date"): Result.Result<Calendar.LocalDate, InputError> => {
  const d = Calendar.parseLocalDate(text)
  return d === undefined
    ? fail(field, "event.schema", `${JSON.stringify(text)} is not a date YYYY-MM-DD`)
    : Result.succeed(d)
}

/**
 * An instant (ISO 8601 with an explicit offset) from a string.
 *
 * @category utils
 * @since 0.1.0
 */
export const instant = (text: string, field: string = "at"): Result.Result<Calendar.Instant, InputError> => {
  const t = Calendar.parseInstant(text)
  return t === undefined
    ? fail(field, "event.schema", `${JSON.stringify(text)} is not an ISO 8601 time with an offset`)
    : Result.succeed(t)
}

/**
 * Hours from a number of hours with at most two decimals (`1.25`), as exact
 * integers of 0.01 hour.
 *
 * @category utils
 * @since 0.1.0
 */
export const hours = (n: number, field: string = "hours"): Result.Result<Hours.Hours, InputError> => {
  const h = Number.isFinite(n) && n >= 0 ? Hours.fromWire(n) : undefined
  return h === undefined
    ? fail(field, "event.schema", `${n} is not a number of hours ≥ 0 with at most two decimals`)
    : Result.succeed(h)
}
