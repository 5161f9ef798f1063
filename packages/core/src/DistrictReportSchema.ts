/**
 * The district report's schema: every table of the report as an Effect Schema
 * (its JSON Schema is generated from {@link DistrictReport} and published with
 * the package; docs/reference/district-report.md documents every field).
 * `DistrictReport` builds the value and re-exports these.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * An exact rate and its percentage text (`"93.45%"`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Rate = Schema.Struct({ num: Schema.Int, den: Schema.Int, percent: Schema.String }).annotate({
  identifier: "Rate",
  description: "An exact fraction num/den and its percentage with two decimals."
})
/**
 * The decoded value of the schema {@link Rate}.
 *
 * @category models
 * @since 0.1.0
 */
export type Rate = typeof Rate.Type

const Count = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const HoursNumber = Schema.Number.annotate({ description: "Credit hours (学时), at most two decimals." })

/**
 * Members by compliance status.
 *
 * @category schemas
 * @since 0.1.0
 */
export const StatusCounts = Schema.Struct({
  met: Count,
  onTrack: Count,
  behind: Count,
  notMet: Count,
  exempt: Count,
  notApplicable: Count
}).annotate({ identifier: "StatusCounts" })
/**
 * The decoded value of the schema {@link StatusCounts}.
 *
 * @category models
 * @since 0.1.0
 */
export type StatusCounts = typeof StatusCounts.Type

/**
 * The additive figures of a school (own) or its subtree (total).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Figures = Schema.Struct({
  members: Count,
  applicable: Count,
  met: Count,
  exempt: Count,
  onTrack: Count,
  behind: Count,
  notMet: Count,
  hoursGranted: HoursNumber,
  traineeTimes: Count,
  classesHeld: Count,
  sessionsHeld: Count,
  claimedTraineeTimes: Count,
  claimedClasses: Count
}).annotate({ identifier: "Figures" })
/**
 * The decoded value of the schema {@link Figures}.
 *
 * @category models
 * @since 0.1.0
 */
export type Figures = typeof Figures.Type

/**
 * One school of the roll-up, in tree order (a parent before its children).
 *
 * @category schemas
 * @since 0.1.0
 */
export const SchoolLine = Schema.Struct({
  schoolId: Schema.String,
  name: Schema.String,
  tier: Schema.String,
  parentId: Schema.NullOr(Schema.String),
  depth: Count,
  own: Figures,
  total: Figures,
  complianceRate: Schema.NullOr(Rate),
  deliveryRate: Schema.NullOr(Rate),
  /** Members of the subtree by status, per requirement. */
  byRequirement: Schema.Record(Schema.String, StatusCounts)
}).annotate({ identifier: "SchoolLine" })
/**
 * The decoded value of the schema {@link SchoolLine}.
 *
 * @category models
 * @since 0.1.0
 */
export type SchoolLine = typeof SchoolLine.Type

/**
 * Members whose earned hours fall in `[fromHours, toHours)` (`toHours` null: no upper bound).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Bucket = Schema.Struct({ fromHours: HoursNumber, toHours: Schema.NullOr(HoursNumber), members: Count })
/**
 * The decoded value of the schema {@link Bucket}.
 *
 * @category models
 * @since 0.1.0
 */
export type Bucket = typeof Bucket.Type

/**
 * Compliance with one requirement across the district.
 *
 * @category schemas
 * @since 0.1.0
 */
export const RequirementLine = Schema.Struct({
  requirementId: Schema.String,
  title: Schema.String,
  counts: StatusCounts,
  /** The hours threshold (null when the requirement has none). */
  requiredHours: Schema.NullOr(HoursNumber),
  /** Applicable members by earned hours, 4-hour buckets. */
  distribution: Schema.Array(Bucket)
}).annotate({ identifier: "RequirementLine" })
/**
 * The decoded value of the schema {@link RequirementLine}.
 *
 * @category models
 * @since 0.1.0
 */
export type RequirementLine = typeof RequirementLine.Type

/**
 * A member who falls short of a requirement (`notMet` or `behind`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Shortfall = Schema.Struct({
  memberId: Schema.String,
  schoolId: Schema.NullOr(Schema.String),
  requirementId: Schema.String,
  status: Schema.Literals(["notMet", "behind"]),
  earnedHours: HoursNumber,
  requiredHours: Schema.NullOr(HoursNumber),
  shortfallHours: HoursNumber
}).annotate({ identifier: "Shortfall" })
/**
 * The decoded value of the schema {@link Shortfall}.
 *
 * @category models
 * @since 0.1.0
 */
export type Shortfall = typeof Shortfall.Type

/**
 * Minutes of one course category and its share of the total.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CategoryShare = Schema.Struct({
  minutes: Count,
  lessons: Count,
  percent: Schema.NullOr(Schema.String)
})

/**
 * The verdict of one course-mix rule.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MixVerdict = Schema.Struct({
  ruleId: Schema.String,
  status: Schema.Literals(["pass", "fail", "noData"]),
  basis: Schema.String,
  total: Count,
  constraints: Schema.Array(
    Schema.Struct({
      label: Schema.String,
      op: Schema.String,
      target: Schema.String,
      share: Schema.NullOr(Schema.String),
      deviation: Schema.NullOr(Schema.String),
      pass: Schema.NullOr(Schema.Boolean)
    })
  )
}).annotate({ identifier: "MixVerdict" })
/**
 * The decoded value of the schema {@link MixVerdict}.
 *
 * @category models
 * @since 0.1.0
 */
export type MixVerdict = typeof MixVerdict.Type

const Breakdown = Schema.Struct({
  minutes: Count,
  lessons: Count,
  theory: CategoryShare,
  practice: CategoryShare,
  exemplar: CategoryShare,
  other: CategoryShare
})

/**
 * The course mix of a module in the year (delivered sessions).
 *
 * @category schemas
 * @since 0.1.0
 */
export const ModuleMix = Schema.Struct({
  module: Schema.String,
  classes: Count,
  scheduled: Breakdown,
  delivered: Breakdown,
  verdicts: Schema.Array(MixVerdict)
}).annotate({ identifier: "ModuleMix" })
/**
 * The decoded value of the schema {@link ModuleMix}.
 *
 * @category models
 * @since 0.1.0
 */
export type ModuleMix = typeof ModuleMix.Type

/**
 * A class of the year: its course mix verdicts and completion counts.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ClassLine = Schema.Struct({
  classId: Schema.String,
  title: Schema.String,
  schoolId: Schema.String,
  module: Schema.NullOr(Schema.String),
  format: Schema.String,
  completed: Schema.Boolean,
  delivered: Breakdown,
  verdicts: Schema.Array(MixVerdict),
  completion: Schema.Struct({ pass: Count, fail: Count, withdrawn: Count, inProgress: Count })
}).annotate({ identifier: "ClassLine" })
/**
 * The decoded value of the schema {@link ClassLine}.
 *
 * @category models
 * @since 0.1.0
 */
export type ClassLine = typeof ClassLine.Type

/**
 * A school's quota claim against what its subtree delivered.
 *
 * @category schemas
 * @since 0.1.0
 */
export const QuotaLine = Schema.Struct({
  schoolId: Schema.String,
  name: Schema.String,
  tier: Schema.String,
  claimedTraineeTimes: Count,
  traineeTimes: Count,
  difference: Schema.Int,
  deliveryRate: Schema.NullOr(Rate),
  claimedClasses: Count,
  classesHeld: Count
}).annotate({ identifier: "QuotaLine" })

/**
 * The district report of a year.
 *
 * @category schemas
 * @since 0.1.0
 */
export const DistrictReport = Schema.Struct({
  format: Schema.Literal("xueshi/district-report@1"),
  policy: Schema.Struct({ id: Schema.String, version: Schema.Int, title: Schema.String, timeZone: Schema.String }),
  year: Schema.Int,
  asOf: Schema.String,
  /** The requirement the school figures' compliance counts use (the policy's first). */
  requirementId: Schema.NullOr(Schema.String),
  log: Schema.Struct({
    events: Count,
    byType: Schema.Record(Schema.String, Count),
    setAside: Count,
    derived: Schema.Struct({ granted: Count, revoked: Count })
  }),
  headline: Schema.Struct({
    figures: Figures,
    complianceRate: Schema.NullOr(Rate),
    deliveryRate: Schema.NullOr(Rate)
  }),
  schools: Schema.Array(SchoolLine),
  unplaced: Figures,
  requirements: Schema.Array(RequirementLine),
  shortfalls: Schema.Array(Shortfall),
  modules: Schema.Array(ModuleMix),
  classes: Schema.Array(ClassLine),
  courseMix: Schema.Struct({ pass: Count, fail: Count, noData: Count }),
  completion: Schema.Struct({ pass: Count, fail: Count, withdrawn: Count, inProgress: Count }),
  quotas: Schema.Array(QuotaLine)
}).annotate({
  identifier: "DistrictReport",
  title: "xueshi district report",
  description: "A district's training record for a year under one policy set (see docs/reference/district-report.md)."
})

/**
 * The decoded value of the schema {@link DistrictReport}.
 *
 * @category models
 * @since 0.1.0
 */
export type DistrictReport = typeof DistrictReport.Type
