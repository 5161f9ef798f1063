/**
 * The closed vocabularies of the event log (see `shared/domain/RULES.md`):
 * school tiers, class formats, course categories, session modes, trainee
 * categories and the reasons that events carry.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Tiers of the school network (三级党校 plus teaching points).
 *
 * @category schemas
 * @since 0.1.0
 */
export const SchoolTier = Schema.Literals([
  "district",
  "subdistrict",
  "township",
  "community",
  "village",
  "teachingPoint"
]).annotate({ title: "SchoolTier", description: "A tier of the school network." })

/**
 * A tier of the school network.
 *
 * @category models
 * @since 0.1.0
 */
export type SchoolTier = typeof SchoolTier.Type

/**
 * The rank of a tier in the network: district 0, subdistrict/township 1,
 * community/village 2, teaching point 3. A parent school always ranks lower.
 *
 * @category utils
 * @since 0.1.0
 */
export const tierRank: Readonly<Record<SchoolTier, number>> = {
  district: 0,
  subdistrict: 1,
  township: 1,
  community: 2,
  village: 2,
  teachingPoint: 3
}

/**
 * Class formats: concentrated training (集中培训), rotational training (集中轮训),
 * micro-lessons (微党课), online, home delivery (送学上门), mobile classrooms
 * (流动课堂), on-site teaching (现场教学) and branch study.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ClassFormat = Schema.Literals([
  "concentrated",
  "rotational",
  "microLesson",
  "online",
  "homeDelivery",
  "mobileClassroom",
  "onSite",
  "branchStudy"
]).annotate({ title: "ClassFormat", description: "A class format." })

/**
 * A class format.
 *
 * @category models
 * @since 0.1.0
 */
export type ClassFormat = typeof ClassFormat.Type

/**
 * Course categories of the 40/40/20 rule (政治理论类 / 基层实务类 / 先进模范类) plus `other`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CourseCategory = Schema.Literals(["theory", "practice", "exemplar", "other"]).annotate({
  title: "CourseCategory",
  description: "A course category (40/40/20 rule)."
})

/**
 * A course category.
 *
 * @category models
 * @since 0.1.0
 */
export type CourseCategory = typeof CourseCategory.Type

/**
 * How a session is delivered.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SessionMode = Schema.Literals(["inPerson", "online", "liveStream", "onSite", "homeDelivery"]).annotate({
  title: "SessionMode",
  description: "How a session is delivered."
})

/**
 * A session mode.
 *
 * @category models
 * @since 0.1.0
 */
export type SessionMode = typeof SessionMode.Type

/**
 * Trainee categories (`TraineeCategory` of RULES.md).
 *
 * @category schemas
 * @since 0.1.0
 */
export const TraineeCategory = Schema.Literals([
  "grassrootsSecretary",
  "committeeMember",
  "partyAffairsWorker",
  "ordinaryMember",
  "applicant",
  "activist",
  "candidate",
  "probationaryMember",
  "newMember",
  "mobileMember",
  "organCadre",
  "reserveCadre",
  "elderlyOrInfirm",
  "leadingCadre"
]).annotate({ title: "TraineeCategory", description: "A trainee category." })

/**
 * A trainee category.
 *
 * @category models
 * @since 0.1.0
 */
export type TraineeCategory = typeof TraineeCategory.Type

/**
 * Why a member is exempt from a year's hard requirement (2019 regulation, Art. 23).
 *
 * @category schemas
 * @since 0.1.0
 */
export const ExemptionReason = Schema.Literals(["elderlyOrInfirm", "illness", "other"]).annotate({
  title: "ExemptionReason",
  description: "Why a member is exempt from a year's hard requirement."
})

/**
 * An exemption reason.
 *
 * @category models
 * @since 0.1.0
 */
export type ExemptionReason = typeof ExemptionReason.Type
