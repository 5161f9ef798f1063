/**
 * The words of the reports: Chinese labels (the default, see docs/glossary.md) or the
 * identifiers of the JSON form (`--lang en`), for column headings, statuses, school tiers,
 * modules, course categories and class formats. A value the tables do not know is shown as
 * it is.
 *
 * @since 0.1.0
 */
import { Hours } from "@xueshi/core"

/**
 * The languages of the reports.
 *
 * @category models
 * @since 0.1.0
 */
export type Lang = "zh" | "en"

const zh: Record<string, string> = {
  // statuses
  met: "达标",
  onTrack: "进度正常",
  behind: "进度落后",
  notMet: "未达标",
  exempt: "免修",
  notApplicable: "不适用",
  pass: "合格",
  fail: "不合格",
  noData: "无数据",
  withdrawn: "退出",
  inProgress: "进行中",
  // tiers
  district: "区委党校",
  subdistrict: "街道党校",
  township: "乡镇党校",
  community: "社区党校",
  village: "村党校",
  teachingPoint: "教学点",
  // modules
  ruralRevitalisation: "乡村振兴",
  grassrootsGovernance: "基层治理",
  partyAffairs: "党务工作",
  // course categories
  theory: "政治理论类",
  practice: "基层实务类",
  exemplar: "先进模范类",
  other: "其他",
  // formats
  concentrated: "集中培训",
  rotational: "集中轮训",
  microLesson: "微党课",
  online: "网络培训",
  homeDelivery: "送学上门",
  mobileClassroom: "流动课堂",
  onSite: "现场教学",
  branchStudy: "支部学习",
  // headings and columns
  reportTitle: "学时年度报告",
  title: "名称",
  policy: "政策",
  year: "年度",
  asOf: "截至",
  events: "事件",
  headline: "总体情况",
  members: "党员",
  applicable: "应参训",
  hoursGranted: "认定学时",
  traineeTimes: "培训人次",
  classesHeld: "举办班次",
  sessionsHeld: "课次",
  claimedTraineeTimes: "认领人次",
  claimedClasses: "认领班次",
  complianceRate: "达标率",
  deliveryRate: "人次完成率（培训/认领）",
  schools: "各级党校",
  school: "党校",
  schoolId: "党校编号",
  name: "名称",
  tier: "级别",
  parentId: "上级党校",
  depth: "层级",
  requirements: "学时要求",
  requirement: "要求",
  requirementId: "要求编号",
  requiredHours: "要求学时",
  shortfalls: "未达标党员",
  memberId: "党员编号",
  status: "状态",
  earnedHours: "已获学时",
  shortfallHours: "差额学时",
  modules: "模块课程结构",
  module: "模块",
  classes: "班次",
  classId: "班次编号",
  format: "形式",
  completed: "已结业",
  rule: "规则",
  constraint: "指标",
  target: "目标",
  share: "实际",
  deviation: "偏差",
  minutes: "分钟",
  lessons: "课数",
  quotas: "培训指标对账",
  difference: "差额",
  courseMix: "课程结构",
  completion: "结业",
  unplaced: "未归属党校",
  yes: "是",
  no: "否",
  setAside: "搁置",
  granted: "派生认定",
  byRequirement: "按要求",
  distribution: "学时分布",
  total: "合计"
}

/**
 * The label of a key in a language: Chinese from the table, English as the identifier itself.
 *
 * @category rendering
 * @since 0.1.0
 */
export const label = (lang: Lang, key: string): string => (lang === "zh" ? (zh[key] ?? key) : key)

/**
 * A labeller bound to a language.
 *
 * @category rendering
 * @since 0.1.0
 */
export const labeller =
  (lang: Lang) =>
  (key: string): string =>
    label(lang, key)

/**
 * Hours of the report (numbers with at most two decimals, exact) written with two decimals
 * by `Hours.format`, never by float arithmetic.
 *
 * @category utils
 * @since 0.1.0
 */
export const hours = (n: number | null): string => {
  if (n === null) return ""
  const h = Hours.fromWire(n)
  return h === undefined ? String(n) : Hours.format(h)
}
