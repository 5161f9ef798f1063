/**
 * The mapping of an xAPI batch: which actor account is which member, and what
 * each activity is — a session of a class (its statements become attendance)
 * or an external source (its statements become external credit grants).
 *
 * ```json
 * {
 *   "actors": [{ "homePage": "https://lms.example.cn", "nameIsMemberId": true }],
 *   "activities": {
 *     "https://lms.example.cn/activity/C2/W1": { "classId": "C2", "sessionId": "W1" },
 *     "https://lms.example.cn/course/123": { "system": "lms.example.cn", "hours": 1, "category": "theory" }
 *   }
 * }
 * ```
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import { decodeWith, MappingError } from "./RosterMapping.js"

const Text = Schema.String.check(Schema.isMinLength(1))

/**
 * Accounts of one platform (`actor.account.homePage`): their `name` is the member
 * id (`nameIsMemberId`), or is looked up in `members`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ActorMapping = Schema.Struct({
  homePage: Text,
  nameIsMemberId: Schema.optionalKey(Schema.Boolean),
  members: Schema.optionalKey(Schema.Record(Schema.String, Text))
})

/**
 * An activity that is a session of a class: `attended` and `completed` record
 * attendance (minutes from `result.duration`, else the whole session).
 *
 * @category schemas
 * @since 0.1.0
 */
export const SessionTarget = Schema.Struct({ classId: Text, sessionId: Text })

/**
 * An activity of an external source: `attended`, `completed`, `passed` and
 * `waived` grant external credit — `hours` each, or `result.duration` at
 * `minutesPerHour` (rounded down to 0.01 hour).
 *
 * @category schemas
 * @since 0.1.0
 */
export const ExternalTarget = Schema.Struct({
  system: Text,
  /** The reference recorded in the grant's source (default: the activity id). */
  reference: Schema.optionalKey(Text),
  hours: Schema.optionalKey(Schema.Number),
  minutesPerHour: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThan(0))),
  category: Schema.optionalKey(Schema.Literals(["theory", "practice", "exemplar", "other"])),
  mode: Schema.optionalKey(Schema.Literals(["inPerson", "online", "liveStream", "onSite", "homeDelivery"])),
  /** The verbs that grant credit (default all four). */
  verbs: Schema.optionalKey(Schema.Array(Schema.Literals(["attended", "completed", "passed", "waived"])))
})

/**
 * A mapping file (see the module docs).
 *
 * @category schemas
 * @since 0.1.0
 */
export const XapiMapping = Schema.Struct({
  actors: Schema.Array(ActorMapping),
  activities: Schema.Record(Schema.String, Schema.Union([SessionTarget, ExternalTarget])),
  /** The policy id recorded on external grants (default `xapi`). */
  policyId: Schema.optionalKey(Text),
  /** The time zone that attributes a grant to its year (default `Asia/Shanghai`). */
  timeZone: Schema.optionalKey(Text),
  /** Statements with another verb: `ignore` (default, counted) or `error`. */
  otherVerbs: Schema.optionalKey(Schema.Literals(["ignore", "error"]))
})
/**
 * The decoded value of the schema {@link XapiMapping}.
 *
 * @category models
 * @since 0.1.0
 */
export type XapiMapping = typeof XapiMapping.Type
/**
 * The decoded value of the schema {@link ExternalTarget}.
 *
 * @category models
 * @since 0.1.0
 */
export type ExternalTarget = typeof ExternalTarget.Type
/**
 * The decoded value of the schema {@link SessionTarget}.
 *
 * @category models
 * @since 0.1.0
 */
export type SessionTarget = typeof SessionTarget.Type

/**
 * Decodes a mapping value (excess keys refused).
 *
 * @category codecs
 * @since 0.1.0
 */
export const decode: (input: unknown) => Result.Result<XapiMapping, MappingError> = decodeWith(
  XapiMapping as unknown as Schema.Codec<XapiMapping, unknown>
)

/**
 * An xAPI mapping from its JSON text.
 *
 * @category codecs
 * @since 0.1.0
 */
export const parse = (text: string): Result.Result<XapiMapping, MappingError> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return Result.fail(new MappingError({ path: "", message: `not JSON: ${(e as Error).message}` }))
  }
  return decode(json)
}
