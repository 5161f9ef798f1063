/**
 * The names a district is written with: titles of classes and lessons, topics,
 * modules and reasons (the words of shared/domain/RULES.md). Each shape draws
 * from its own lists where its wording differs, so that a seed keeps its draws.
 *
 * @since 0.1.0
 */
import { Vocabulary } from "@xueshi/core"

/**
 * The name of the district school.
 *
 * @category constants
 * @since 0.1.0
 */
export const DISTRICT_SCHOOL_NAME = "区委党校"

/**
 * Why a session is cancelled (both shapes).
 *
 * @category constants
 * @since 0.1.0
 */
export const CANCELLATION_REASONS = ["天气原因", "讲师临时有事", "场地冲突"] as const

/**
 * The 40/40/20 cycle of five lessons: theory, practice, theory, practice, exemplar.
 *
 * @category constants
 * @since 0.1.0
 */
export const MIX: ReadonlyArray<"theory" | "practice" | "exemplar"> = [
  "theory",
  "practice",
  "theory",
  "practice",
  "exemplar"
]

/**
 * The modules of rotational training, one per cohort.
 *
 * @category constants
 * @since 0.1.0
 */
export const MODULES = ["ruralRevitalisation", "grassrootsGovernance", "partyAffairs"] as const

/**
 * Lesson titles of the Xiqing year, by course category.
 *
 * @category constants
 * @since 0.1.0
 */
export const TOPICS: Record<"theory" | "practice" | "exemplar" | "other", ReadonlyArray<string>> = {
  theory: ["党的二十大精神", "习近平新时代中国特色社会主义思想", "党章党规", "党的创新理论"],
  practice: ["基层治理实务", "乡村振兴实践", "党务工作规范", "网格化服务"],
  exemplar: ["时代楷模事迹", "优秀共产党员风采", "英模精神"],
  other: ["形势政策", "健康讲座"]
}

/**
 * Why a member leaves the district in the Xiqing year.
 *
 * @category constants
 * @since 0.1.0
 */
export const XIQING_DEREGISTRATION_REASONS = ["去世", "出党", "组织关系转出区外"] as const
/**
 * Why a member is on leave in the Xiqing year.
 *
 * @category constants
 * @since 0.1.0
 */
export const XIQING_LEAVE_REASONS = ["病假", "事假", "公务"] as const

/**
 * Trainee categories of the random shape, weighted by repetition.
 *
 * @category constants
 * @since 0.1.0
 */
export const COMMON_CATEGORIES: ReadonlyArray<Vocabulary.TraineeCategory> = [
  "ordinaryMember",
  "ordinaryMember",
  "ordinaryMember",
  "grassrootsSecretary",
  "committeeMember",
  "partyAffairsWorker",
  "organCadre",
  "reserveCadre",
  "activist",
  "candidate",
  "probationaryMember",
  "newMember",
  "mobileMember",
  "leadingCadre",
  "applicant"
]

/**
 * Class titles of the random shape.
 *
 * @category constants
 * @since 0.1.0
 */
export const CLASS_TITLES = [
  "湖畔讲堂夜校",
  "党支部书记轮训班",
  "发展对象培训班",
  "乡村振兴专题班",
  "微党课",
  "送学上门"
] as const
/**
 * Lesson titles of the random shape.
 *
 * @category constants
 * @since 0.1.0
 */
export const SESSION_TITLES = [
  "党的二十大精神",
  "党章学习",
  "基层治理实务",
  "先进模范事迹报告",
  "党务工作实务",
  "党史学习"
] as const
/**
 * Lesson lengths of the random shape (minutes; a micro-lesson is 15).
 *
 * @category constants
 * @since 0.1.0
 */
export const LESSON_MINUTES = [15, 45, 60, 90, 90, 120, 120, 180, 240] as const
/**
 * Course categories of the random shape, weighted 40/40/20 (and some other).
 *
 * @category constants
 * @since 0.1.0
 */
export const CATEGORY_WEIGHTS: ReadonlyArray<Vocabulary.CourseCategory> = [
  "theory",
  "theory",
  "practice",
  "practice",
  "exemplar",
  "other"
]
/**
 * Session modes of the random shape, weighted.
 *
 * @category constants
 * @since 0.1.0
 */
export const MODES: ReadonlyArray<Vocabulary.SessionMode> = [
  "inPerson",
  "inPerson",
  "inPerson",
  "online",
  "liveStream",
  "onSite"
]
/**
 * Class formats of the random shape, weighted.
 *
 * @category constants
 * @since 0.1.0
 */
export const FORMATS: ReadonlyArray<Vocabulary.ClassFormat> = ["concentrated", ...Vocabulary.ClassFormat.literals]
/**
 * Modules of the random shape (free text).
 *
 * @category constants
 * @since 0.1.0
 */
export const FREE_MODULES = ["乡村振兴", "基层治理", "党务工作"] as const
/**
 * Why a member is on leave in the random shape.
 *
 * @category constants
 * @since 0.1.0
 */
export const LEAVE_REASONS = ["因公请假", "病假", "事假"] as const
/**
 * Why a member leaves the district in the random shape.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEREGISTRATION_REASONS = ["去世", "转出本区", "出党"] as const
/**
 * Why a member withdraws from a class in the random shape.
 *
 * @category constants
 * @since 0.1.0
 */
export const WITHDRAWAL_REASONS = ["工作调动", "身体原因"] as const
/**
 * Why credit is revoked.
 *
 * @category constants
 * @since 0.1.0
 */
export const REVOCATION_REASONS = ["考勤更正", "重复认定", "政策调整"] as const
/**
 * External learning platforms.
 *
 * @category constants
 * @since 0.1.0
 */
export const EXTERNAL_SYSTEMS = ["学习强国", "干部网络学院"] as const
/**
 * Who writes the `meta` of a line.
 *
 * @category constants
 * @since 0.1.0
 */
export const ACTORS = ["admin", "李老师", "importer"] as const
