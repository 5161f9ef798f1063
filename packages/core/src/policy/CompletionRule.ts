/**
 * Completion rules (结业) of classes as data.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { RationalSchema } from "../Rational.js"
import { PolicyKey } from "./CreditPolicy.js"

const NonNegativeInt = Schema.Int.check(
  Schema.makeFilter((n: number) => n >= 0 || "expected an integer >= 0", { toJsonSchema: () => ({ minimum: 0 }) })
)

/**
 * A completion rule. Every field is optional: an absent limit is not checked.
 *
 * - `minAttendanceRatio`: attended minutes (plus made-up minutes when
 *   `makeUpAllowed`) over the minutes of the class's sessions held, at least this;
 * - `maxLeaves`: at most this many sessions on leave (请假);
 * - `maxUnexcusedAbsences`: at most this many sessions missed without leave
 *   (旷课; a made-up session is not missed when `makeUpAllowed`);
 * - `maxLeaveRatio`: leave minutes over the minutes of all the class's sessions
 *   (cancelled ones excluded), at most this (the 1/7 rule); beyond it the member
 *   is `withdrawn` (or fails, with `leaveRatioExceeded: "fail"`);
 * - `makeUpAllowed`: whether make-ups (补学) stand in for missed sessions.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CompletionRule = Schema.Struct({
  id: PolicyKey,
  source: Schema.String,
  minAttendanceRatio: Schema.optionalKey(RationalSchema),
  maxLeaves: Schema.optionalKey(NonNegativeInt),
  maxUnexcusedAbsences: Schema.optionalKey(NonNegativeInt),
  maxLeaveRatio: Schema.optionalKey(RationalSchema),
  leaveRatioExceeded: Schema.optionalKey(Schema.Literals(["withdrawn", "fail"])),
  makeUpAllowed: Schema.Boolean
})

/**
 * A completion rule.
 *
 * @category models
 * @since 0.1.0
 */
export type CompletionRule = typeof CompletionRule.Type
