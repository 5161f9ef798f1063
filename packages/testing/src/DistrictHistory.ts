/**
 * Valid, plausible histories of a district's school network, as log lines.
 *
 * A history is built by simulating a district: a district school with
 * subdistrict/township children, community/village grandchildren and teaching
 * points; members registered at schools (some elderly or infirm with
 * exemptions, some transferred, some changing categories, a few deregistered at
 * the end); classes planned by schools with optional audience and capacity;
 * sessions scheduled (some at 23:30 on 31 December), enrolments, attendance,
 * leave, make-ups, corrections (some to 0, some after completion),
 * cancellations, reschedulings, withdrawals, completions, credit grants
 * (session-sourced and external) and revocations.
 *
 * The simulation keeps a pool of pending tasks (register this school, enrol a
 * member in that class, record this member at that session …) and runs them in
 * a random order; a task checks the current state of the district when it runs
 * and emits its event only if the event is valid then. So the emitted order is a
 * random interleaving of the streams that is causally valid by construction, and
 * nothing is ever generated and thrown away. The randomness comes from a seed
 * (the kit's one PRNG, `Random.ts`), which fast-check chooses: shrinking is weak (it
 * shrinks the seed and the sizes), validity is what matters.
 *
 * @since 0.1.0
 */
import { Calendar, EventCodec, Events, type Hours, type Ids, type Vocabulary } from "@xueshi/core"
import fc from "fast-check"
import { makeRandom } from "./Random.js"

// ---------------------------------------------------------------------------
// lines
// ---------------------------------------------------------------------------

/**
 * One line of a history: a domain event (runtime payload) in its stream, with
 * some of the optional envelope fields of event-log-v1.
 *
 * @since 0.1.0
 */
export type HistoryLine = Events.DomainEvent & {
  readonly stream: string
  readonly version?: number
  readonly id?: string
  readonly recordedAt?: string
  readonly position?: number
  readonly meta?: Readonly<Record<string, unknown>>
}

/**
 * A history: its lines in log order.
 *
 * @since 0.1.0
 */
export type History = ReadonlyArray<HistoryLine>

/**
 * The log record of a history line (schema version 1).
 *
 * @since 0.1.0
 */
export const toRecord = (line: HistoryLine): EventCodec.LogRecord =>
  ({ ...line, schemaVersion: 1 }) as unknown as EventCodec.LogRecord

/**
 * Renders one line with a codec's `encodeLine` (default: event-log-v1).
 *
 * @since 0.1.0
 */
export const renderLine = (line: HistoryLine, codec: EventCodec.EventCodec = EventCodec.EventLogCodec): string =>
  codec.encodeLine(toRecord(line))

/**
 * Renders a history to its log lines (without newlines).
 *
 * @since 0.1.0
 */
export const renderLines = (history: History, codec: EventCodec.EventCodec = EventCodec.EventLogCodec): Array<string> =>
  history.map((l) => renderLine(l, codec))

/**
 * Renders a history to the text of a log file: one line each, every line ending with `\n`.
 *
 * @since 0.1.0
 */
export const renderText = (history: History, codec: EventCodec.EventCodec = EventCodec.EventLogCodec): string =>
  history.map((l) => `${renderLine(l, codec)}\n`).join("")

/**
 * Builds a history line from an event: its stream is the one the payload names.
 *
 * @since 0.1.0
 */
export const lineOf = (
  event: Events.DomainEvent,
  envelope: Omit<Partial<HistoryLine>, "type" | "data"> = {}
): HistoryLine => ({ ...event, stream: Events.streamOf(event), ...envelope }) as HistoryLine

// ---------------------------------------------------------------------------
// a deterministic random source
// ---------------------------------------------------------------------------

/**
 * The seeded random source of the kit (see `Random.ts`), re-exported here where
 * histories and mutations have always found it.
 *
 * @since 0.1.0
 */
export { makeRandom, type Random } from "./Random.js"

// ---------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------

/**
 * How often each optional envelope field is written (a probability per line).
 *
 * @since 0.1.0
 */
export interface EnvelopeRates {
  readonly versions: number
  readonly ids: number
  readonly positions: number
  readonly recordedAt: number
  readonly meta: number
}

/**
 * The exact shape of one simulated district.
 *
 * @since 0.1.0
 */
export interface DistrictConfig {
  readonly seed: number
  /** The training year (sessions, credit, quotas). */
  readonly year: number
  readonly subdistricts: number
  /** Community/village schools under each subdistrict/township school. */
  readonly communitiesPerSubdistrict: number
  readonly teachingPoints: number
  readonly members: number
  readonly classes: number
  /** Sessions per class: from 1 to this. */
  readonly maxSessionsPerClass: number
  /** Enrolments attempted per class: from 1 to this. */
  readonly maxEnrolmentsPerClass: number
  /** Prefix of every school, member and class id (several districts can share a log). */
  readonly prefix: string
  readonly envelope: EnvelopeRates
  /** The first global position written (default 1). */
  readonly firstPosition?: number
}

/**
 * No optional envelope field at all.
 *
 * @since 0.1.0
 */
export const noEnvelope: EnvelopeRates = { versions: 0, ids: 0, positions: 0, recordedAt: 0, meta: 0 }

/**
 * Every optional envelope field on every line.
 *
 * @since 0.1.0
 */
export const fullEnvelope: EnvelopeRates = { versions: 1, ids: 1, positions: 1, recordedAt: 1, meta: 1 }

/**
 * A small default district.
 *
 * @since 0.1.0
 */
export const defaultDistrict: DistrictConfig = {
  seed: 1,
  year: 2025,
  subdistricts: 2,
  communitiesPerSubdistrict: 2,
  teachingPoints: 1,
  members: 20,
  classes: 4,
  maxSessionsPerClass: 4,
  maxEnrolmentsPerClass: 8,
  prefix: "",
  envelope: noEnvelope
}

// ---------------------------------------------------------------------------
// the simulation
// ---------------------------------------------------------------------------

type NonEmptyCategories = Events.PayloadOf<"MemberRegistered">["categories"]

interface SchoolSim {
  readonly id: Ids.SchoolId
  readonly tier: Vocabulary.SchoolTier
  readonly parentId?: Ids.SchoolId
  readonly name: string
  readonly children: Array<SchoolSim>
  registered: boolean
}

interface MemberSim {
  readonly id: Ids.MemberId
  schoolId: Ids.SchoolId
  categories: Array<Vocabulary.TraineeCategory>
  status: "new" | "active" | "deregistered"
  readonly exemptions: Set<number>
  readonly grants: Map<string, boolean>
}

interface SessionSim {
  readonly id: Ids.SessionId
  minutes: number
  startsAt: string
  readonly category: Vocabulary.CourseCategory
  readonly mode: Vocabulary.SessionMode
  cancelled: boolean
  readonly attended: Map<Ids.MemberId, number>
  readonly leave: Set<Ids.MemberId>
  readonly madeUp: Map<Ids.MemberId, number>
}

interface ClassSim {
  readonly id: Ids.ClassId
  readonly schoolId: Ids.SchoolId
  readonly audience?: ReadonlyArray<Vocabulary.TraineeCategory>
  readonly capacity?: number
  readonly sessions: Array<SessionSim>
  readonly enrolled: Map<Ids.MemberId, boolean>
  enrolledCount: number
  completed: boolean
  pending: number
}

interface Task {
  readonly run: () => void
  readonly owner?: ClassSim
}

const COMMON_CATEGORIES: ReadonlyArray<Vocabulary.TraineeCategory> = [
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

const CLASS_TITLES = [
  "湖畔讲堂夜校",
  "党支部书记轮训班",
  "发展对象培训班",
  "乡村振兴专题班",
  "微党课",
  "送学上门"
] as const
const SESSION_TITLES = [
  "党的二十大精神",
  "党章学习",
  "基层治理实务",
  "先进模范事迹报告",
  "党务工作实务",
  "党史学习"
] as const
const LESSON_MINUTES = [15, 45, 60, 90, 90, 120, 120, 180, 240] as const
const CATEGORY_WEIGHTS: ReadonlyArray<Vocabulary.CourseCategory> = [
  "theory",
  "theory",
  "practice",
  "practice",
  "exemplar",
  "other"
]
const MODES: ReadonlyArray<Vocabulary.SessionMode> = [
  "inPerson",
  "inPerson",
  "inPerson",
  "online",
  "liveStream",
  "onSite"
]
const FORMATS: ReadonlyArray<Vocabulary.ClassFormat> = [
  "concentrated",
  "concentrated",
  "rotational",
  "microLesson",
  "online",
  "homeDelivery",
  "mobileClassroom",
  "onSite",
  "branchStudy"
]

/** `YYYY-MM-DDTHH:MM:SS+08:00` of epoch milliseconds (China Standard Time). */
const cst = (ms: number): string => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`

/**
 * Simulates one district and yields its history line by line (lazily: the
 * lines are produced as they are consumed).
 *
 * Not the district generator (`DistrictGenerator.generateDistrict`, the demo's
 * realistic year): this simulation is the property tests' source of small,
 * causally valid histories that reach every rule's edge (corrections to 0 and
 * after completion, sessions at 23:30 on 31 December, capacity and audience,
 * withdrawals, deregistrations) with every envelope variant and id prefix.
 *
 * @since 0.1.0
 */
export function* simulateDistrict(config: DistrictConfig): Generator<HistoryLine, void, undefined> {
  const r = makeRandom(config.seed)
  const { year, prefix } = config
  const env = config.envelope
  const versions = new Map<string, number>()
  let position = (config.firstPosition ?? 1) - 1
  const yearStart = Date.UTC(year, 0, 2, 0, 0) // 2 January, 08:00 in China
  const yearEnd = Date.UTC(year, 11, 31, 15, 0) // 31 December, 23:00 in China
  let now = yearStart
  const out: Array<HistoryLine> = []

  const emit = <T extends Events.EventType>(type: T, data: Events.PayloadOf<T>): void => {
    const event = { type, data } as unknown as Events.DomainEvent
    const stream = Events.streamOf(event)
    const version = (versions.get(stream) ?? 0) + 1
    versions.set(stream, version)
    position += r.int(1, 3)
    const line: Record<string, unknown> = { type, data, stream }
    if (env.versions > 0 && r.chance(env.versions)) line.version = version
    if (env.ids > 0 && r.chance(env.ids)) line.id = r.uuid()
    if (env.recordedAt > 0 && r.chance(env.recordedAt)) line.recordedAt = cst(now)
    if (env.positions > 0 && r.chance(env.positions)) line.position = position
    if (env.meta > 0 && r.chance(env.meta))
      line.meta = { source: "simulation", actor: r.pick(["admin", "李老师", "importer"]) }
    out.push(line as unknown as HistoryLine)
    now = Math.min(yearEnd, now + r.int(0, 240) * 60_000)
  }
  const at = () => cst(now) as Calendar.Instant
  const today = () => cst(now).slice(0, 10) as Calendar.LocalDate

  // ----- the school tree -----
  const sid = (s: string) => `${prefix}${s}` as Ids.SchoolId
  const district: SchoolSim = { id: sid("XQ"), tier: "district", name: "区委党校", children: [], registered: false }
  const schools: Array<SchoolSim> = [district]
  for (let i = 1; i <= config.subdistricts; i++) {
    const sub: SchoolSim = {
      id: sid(`XQ-S${i}`),
      tier: r.chance(0.5) ? "subdistrict" : "township",
      parentId: district.id,
      name: `第${i}街道党校`,
      children: [],
      registered: false
    }
    district.children.push(sub)
    schools.push(sub)
    for (let j = 1; j <= config.communitiesPerSubdistrict; j++) {
      const com: SchoolSim = {
        id: sid(`XQ-S${i}-C${j}`),
        tier: sub.tier === "township" ? "village" : "community",
        parentId: sub.id,
        name: sub.tier === "township" ? `第${j}村党校` : `第${j}社区党校`,
        children: [],
        registered: false
      }
      sub.children.push(com)
      schools.push(com)
    }
  }
  const lower = schools.filter((s) => s.tier === "community" || s.tier === "village")
  for (let t = 1; t <= config.teachingPoints; t++) {
    const parent = lower.length > 0 ? r.pick(lower) : r.pick(schools.filter((s) => s.tier !== "teachingPoint"))
    const tp: SchoolSim = {
      id: sid(`${parent.id.slice(prefix.length)}-TP${t}`),
      tier: "teachingPoint",
      parentId: parent.id,
      name: `教学点${t}`,
      children: [],
      registered: false
    }
    parent.children.push(tp)
    schools.push(tp)
  }
  const registeredSchools: Array<SchoolSim> = []

  // ----- members and classes, assigned to schools -----
  const membersBySchool = new Map<string, Array<MemberSim>>()
  const members: Array<MemberSim> = []
  const activeMembers: Array<MemberSim> = []
  const memberHomes = schools.filter((s) => s.tier !== "teachingPoint")
  for (let i = 1; i <= config.members; i++) {
    const home = r.chance(0.7) && lower.length > 0 ? r.pick(lower) : r.pick(memberHomes)
    const cats = new Set<Vocabulary.TraineeCategory>([r.pick(COMMON_CATEGORIES)])
    if (r.chance(0.25)) cats.add(r.pick(COMMON_CATEGORIES))
    if (r.chance(0.12)) cats.add("elderlyOrInfirm")
    const m: MemberSim = {
      id: `${prefix}M${String(i).padStart(4, "0")}` as Ids.MemberId,
      schoolId: home.id,
      categories: [...cats],
      status: "new",
      exemptions: new Set(),
      grants: new Map()
    }
    members.push(m)
    const list = membersBySchool.get(home.id) ?? []
    list.push(m)
    membersBySchool.set(home.id, list)
  }
  const classesBySchool = new Map<string, Array<number>>()
  for (let i = 1; i <= config.classes; i++) {
    const s = r.pick(schools)
    const list = classesBySchool.get(s.id) ?? []
    list.push(i)
    classesBySchool.set(s.id, list)
  }

  // ----- the task pool -----
  const pool: Array<Task> = []
  const finale: Array<Task> = []
  const spawn = (run: () => void, owner?: ClassSim) => {
    if (owner !== undefined) owner.pending++
    pool.push(owner === undefined ? { run } : { run, owner })
  }

  const registerSchool = (s: SchoolSim) => () => {
    emit("SchoolRegistered", {
      schoolId: s.id,
      name: s.name,
      tier: s.tier,
      ...(s.parentId === undefined ? {} : { parentId: s.parentId })
    })
    s.registered = true
    registeredSchools.push(s)
    for (const c of s.children) spawn(registerSchool(c))
    for (const m of membersBySchool.get(s.id) ?? []) spawn(registerMember(m))
    for (const n of classesBySchool.get(s.id) ?? []) spawn(planClass(n, s))
    if ((s.tier === "subdistrict" || s.tier === "township") && r.chance(0.7)) {
      spawn(claimQuota(s))
      if (r.chance(0.2)) spawn(claimQuota(s))
    }
  }

  const claimQuota = (s: SchoolSim) => () => {
    const traineeTimes = r.int(0, 2000)
    emit("QuotaClaimed", {
      schoolId: s.id,
      year,
      traineeTimes,
      ...(r.chance(0.5) ? { classes: r.int(0, 40) } : {})
    })
  }

  // ----- members -----
  const grantExemption = (m: MemberSim) => () => {
    if (m.status !== "active" || m.exemptions.has(year)) return
    emit("ExemptionGranted", { memberId: m.id, year, reason: r.chance(0.8) ? "elderlyOrInfirm" : "illness" })
    m.exemptions.add(year)
    if (r.chance(0.15)) spawn(revokeExemption(m))
  }
  const revokeExemption = (m: MemberSim) => () => {
    if (m.status !== "active" || !m.exemptions.has(year)) return
    emit("ExemptionRevoked", { memberId: m.id, year, ...(r.chance(0.5) ? { reason: "elderlyOrInfirm" as const } : {}) })
    m.exemptions.delete(year)
  }
  const registerMember = (m: MemberSim) => () => {
    emit("MemberRegistered", {
      memberId: m.id,
      schoolId: m.schoolId,
      categories: m.categories as unknown as NonEmptyCategories,
      ...(r.chance(0.5) ? { joinedOn: Calendar.makeLocalDate(r.int(1960, year - 1), r.int(1, 12), r.int(1, 28)) } : {})
    })
    m.status = "active"
    activeMembers.push(m)
    if (m.categories.includes("elderlyOrInfirm") && r.chance(0.8)) spawn(grantExemption(m))
    if (r.chance(0.15)) spawn(changeCategories(m))
    if (r.chance(0.1)) spawn(transfer(m))
    if (r.chance(0.15)) spawn(externalCredit(m))
    if (r.chance(0.06)) finale.push({ run: deregister(m) })
  }
  const changeCategories = (m: MemberSim) => () => {
    if (m.status !== "active") return
    const next = new Set<Vocabulary.TraineeCategory>([r.pick(COMMON_CATEGORIES)])
    if (r.chance(0.3)) next.add("elderlyOrInfirm")
    m.categories = [...next]
    emit("MemberCategoriesChanged", {
      memberId: m.id,
      categories: m.categories as unknown as NonEmptyCategories,
      effectiveOn: today()
    })
    if (next.has("elderlyOrInfirm")) spawn(grantExemption(m))
  }
  const transfer = (m: MemberSim) => () => {
    if (m.status !== "active") return
    const targets = registeredSchools.filter((s) => s.id !== m.schoolId && s.tier !== "teachingPoint")
    if (targets.length === 0) return
    const to = r.pick(targets)
    emit("MemberTransferred", { memberId: m.id, schoolId: to.id, effectiveOn: today() })
    m.schoolId = to.id
  }
  const deregister = (m: MemberSim) => () => {
    if (m.status !== "active") return
    emit("MemberDeregistered", {
      memberId: m.id,
      effectiveOn: Calendar.makeLocalDate(year, 12, r.int(1, 31)),
      reason: r.pick(["去世", "转出本区", "出党"])
    })
    m.status = "deregistered"
  }

  // ----- credit -----
  const hoursOf = (minutes: number): Hours.Hours => Math.max(25, Math.round((minutes * 4) / 45) * 25) as Hours.Hours
  const revokeCredit = (m: MemberSim, grantId: string) => () => {
    if (m.grants.get(grantId) !== false) return
    emit("CreditRevoked", {
      memberId: m.id,
      grantId: grantId as Ids.GrantId,
      reason: r.pick(["考勤更正", "重复认定", "政策调整"]),
      at: at()
    })
    m.grants.set(grantId, true)
  }
  const sessionCredit = (m: MemberSim, c: ClassSim, s: SessionSim, minutes: number, suffix: string) => () => {
    const grantId = `${c.id}/${s.id}${suffix}`
    if (m.status === "new" || s.cancelled || m.grants.has(grantId)) return
    emit("CreditGranted", {
      memberId: m.id,
      grantId: grantId as Ids.GrantId,
      year: Number(s.startsAt.slice(0, 4)),
      hours: hoursOf(minutes),
      ...(r.chance(0.8) ? { category: s.category } : {}),
      ...(r.chance(0.6) ? { mode: s.mode } : {}),
      source: { kind: "session", classId: c.id, sessionId: s.id },
      policyId: "linear-45",
      at: at()
    })
    m.grants.set(grantId, false)
    if (r.chance(0.1)) spawn(revokeCredit(m, grantId))
  }
  let external = 0
  const externalCredit = (m: MemberSim) => () => {
    if (m.status === "new") return
    const grantId = `ext-${++external}`
    emit("CreditGranted", {
      memberId: m.id,
      grantId: grantId as Ids.GrantId,
      year,
      hours: (r.int(1, 16) * 25) as Hours.Hours,
      ...(r.chance(0.5) ? { mode: "online" as const } : {}),
      source: { kind: "external", system: r.pick(["学习强国", "干部网络学院"]), reference: `R${r.int(1000, 9999)}` },
      policyId: r.pick(["yunnan-online-2024", "linear-45"]),
      at: at()
    })
    m.grants.set(grantId, false)
    if (r.chance(0.1)) spawn(revokeCredit(m, grantId))
  }

  // ----- classes -----
  const memberById = new Map<string, MemberSim>()
  for (const m of members) memberById.set(m.id, m)
  const live = (s: SessionSim) => !s.cancelled
  const isEnrolled = (c: ClassSim, m: MemberSim) => c.enrolled.get(m.id) === true

  const planClass = (n: number, school: SchoolSim) => () => {
    const audience: ReadonlyArray<Vocabulary.TraineeCategory> | undefined = r.chance(0.3)
      ? [...new Set([r.pick(COMMON_CATEGORIES), r.pick(COMMON_CATEGORIES)])]
      : undefined
    const capacity = r.chance(0.35) ? r.int(1, 4) : r.chance(0.2) ? r.int(20, 200) : undefined
    const c: ClassSim = {
      id: `${prefix}C${String(n).padStart(3, "0")}` as Ids.ClassId,
      schoolId: school.id,
      ...(audience === undefined ? {} : { audience }),
      ...(capacity === undefined ? {} : { capacity }),
      sessions: [],
      enrolled: new Map(),
      enrolledCount: 0,
      completed: false,
      pending: 0
    }
    emit("ClassPlanned", {
      classId: c.id,
      schoolId: school.id,
      title: r.pick(CLASS_TITLES),
      format: r.pick(FORMATS),
      ...(r.chance(0.5) ? { module: r.pick(["乡村振兴", "基层治理", "党务工作"]) } : {}),
      ...(audience === undefined ? {} : { audience: audience as unknown as NonEmptyCategories }),
      ...(capacity === undefined ? {} : { capacity })
    })
    const sessions = r.int(1, config.maxSessionsPerClass)
    for (let i = 1; i <= sessions; i++) spawn(scheduleSession(c, i), c)
    const enrolments = r.int(1, config.maxEnrolmentsPerClass)
    for (let i = 0; i < enrolments; i++) spawn(enrol(c), c)
  }

  const startsAt = (): string => {
    if (r.chance(0.06)) return `${year}-12-31T23:30:00+08:00`
    const day = Date.UTC(year, 0, 1) + r.int(0, 364) * 86_400_000
    const date = new Date(day).toISOString().slice(0, 10)
    return `${date}T${r.pick(["09:00", "14:30", "19:00"])}:00+08:00`
  }

  const scheduleSession = (c: ClassSim, n: number) => () => {
    const tags: Array<string> = []
    if (r.chance(0.4)) tags.push("newThought")
    if (r.chance(0.3)) tags.push("partySpirit")
    const s: SessionSim = {
      id: `S${n}` as Ids.SessionId,
      minutes: r.pick(LESSON_MINUTES),
      startsAt: startsAt(),
      category: r.pick(CATEGORY_WEIGHTS),
      mode: r.pick(MODES),
      cancelled: false,
      attended: new Map(),
      leave: new Set(),
      madeUp: new Map()
    }
    emit("SessionScheduled", {
      classId: c.id,
      sessionId: s.id,
      title: r.pick(SESSION_TITLES),
      category: s.category,
      startsAt: s.startsAt as Calendar.Instant,
      minutes: s.minutes,
      mode: s.mode,
      ...(tags.length > 0 || r.chance(0.1) ? { tags } : {})
    })
    c.sessions.push(s)
    for (const [id, on] of c.enrolled) if (on) spawn(attend(c, s, memberById.get(id) as MemberSim), c)
    if (r.chance(0.07)) spawn(cancel(c, s), c)
    if (r.chance(0.1)) spawn(reschedule(c, s), c)
  }

  const cancel = (c: ClassSim, s: SessionSim) => () => {
    if (!live(s) || c.completed) return
    emit("SessionCancelled", {
      classId: c.id,
      sessionId: s.id,
      reason: r.pick(["天气原因", "讲师临时有事", "场地冲突"])
    })
    s.cancelled = true
  }

  const reschedule = (c: ClassSim, s: SessionSim) => () => {
    if (!live(s) || c.completed) return
    let used = 0
    for (const v of s.attended.values()) used = Math.max(used, v)
    for (const v of s.madeUp.values()) used = Math.max(used, v)
    const options = LESSON_MINUTES.filter((m) => m >= used)
    const minutes = options.length > 0 ? r.pick(options) : used
    s.minutes = minutes
    s.startsAt = startsAt()
    emit("SessionRescheduled", { classId: c.id, sessionId: s.id, startsAt: s.startsAt as Calendar.Instant, minutes })
  }

  const enrol = (c: ClassSim) => () => {
    if (c.completed) return
    if (c.capacity !== undefined && c.enrolledCount >= c.capacity) return
    if (activeMembers.length === 0) return
    let m: MemberSim | undefined
    for (let tries = 0; tries < 8 && m === undefined; tries++) {
      const cand = r.pick(activeMembers)
      if (cand.status !== "active" || isEnrolled(c, cand)) continue
      if (c.audience !== undefined && !cand.categories.some((k) => c.audience?.includes(k))) continue
      m = cand
    }
    if (m === undefined) return
    emit("MemberEnrolled", { classId: c.id, memberId: m.id, at: at() })
    c.enrolled.set(m.id, true)
    c.enrolledCount++
    for (const s of c.sessions) spawn(attend(c, s, m), c)
    if (r.chance(0.05)) spawn(withdraw(c, m), c)
  }

  const withdraw = (c: ClassSim, m: MemberSim) => () => {
    if (c.completed || !isEnrolled(c, m)) return
    emit("EnrollmentWithdrawn", { classId: c.id, memberId: m.id, at: at(), reason: r.pick(["工作调动", "身体原因"]) })
    c.enrolled.set(m.id, false)
    c.enrolledCount--
  }

  const attend = (c: ClassSim, s: SessionSim, m: MemberSim) => () => {
    if (c.completed || !live(s) || !isEnrolled(c, m)) return
    if (s.attended.has(m.id) || s.leave.has(m.id) || s.madeUp.has(m.id)) return
    const roll = r.next()
    if (roll < 0.78) {
      const minutes = r.chance(0.75) ? s.minutes : r.int(1, s.minutes)
      emit("AttendanceRecorded", {
        classId: c.id,
        sessionId: s.id,
        memberId: m.id,
        minutes,
        ...(r.chance(0.5) ? { at: s.startsAt as Calendar.Instant } : {})
      })
      s.attended.set(m.id, minutes)
      if (r.chance(0.6)) spawn(sessionCredit(m, c, s, minutes, ""))
      if (r.chance(0.08)) spawn(correct(c, s, m), c)
    } else if (roll < 0.9) {
      emit("LeaveGranted", {
        classId: c.id,
        sessionId: s.id,
        memberId: m.id,
        reason: r.pick(["因公请假", "病假", "事假"])
      })
      s.leave.add(m.id)
      if (r.chance(0.4)) spawn(makeUp(c, s, m), c)
    } else if (r.chance(0.5)) {
      spawn(makeUp(c, s, m), c)
    }
  }

  const makeUp = (c: ClassSim, s: SessionSim, m: MemberSim) => () => {
    if (c.completed || !live(s) || !isEnrolled(c, m)) return
    if (s.attended.has(m.id) || s.madeUp.has(m.id)) return
    const minutes = r.chance(0.7) ? s.minutes : r.int(1, s.minutes)
    emit("MakeUpCompleted", {
      classId: c.id,
      sessionId: s.id,
      memberId: m.id,
      minutes,
      at: at(),
      mode: r.pick(["online", "homeDelivery", "inPerson"] as const)
    })
    s.madeUp.set(m.id, minutes)
    if (r.chance(0.5)) spawn(sessionCredit(m, c, s, minutes, "/make-up"))
  }

  const correct = (c: ClassSim, s: SessionSim, m: MemberSim) => () => {
    if (!live(s)) return
    const current = s.attended.get(m.id) ?? 0
    if (current === 0 && !isEnrolled(c, m)) return
    let minutes: number
    if (current > 0 && (r.chance(0.4) || s.minutes === 1)) minutes = 0
    else {
      if (s.leave.has(m.id) || s.madeUp.has(m.id)) return
      minutes = r.int(1, s.minutes)
      if (minutes === current) minutes = current === s.minutes ? current - 1 : current + 1
    }
    if (minutes === current) return
    emit("AttendanceCorrected", {
      classId: c.id,
      sessionId: s.id,
      memberId: m.id,
      minutes,
      reason: minutes === 0 ? "误签到" : "考勤更正"
    })
    if (minutes === 0) s.attended.delete(m.id)
    else s.attended.set(m.id, minutes)
  }

  const complete = (c: ClassSim) => () => {
    if (c.completed) return
    emit("ClassCompleted", { classId: c.id, at: at() })
    c.completed = true
    for (const s of c.sessions) {
      for (const id of s.attended.keys()) if (r.chance(0.05)) spawn(correct(c, s, memberById.get(id) as MemberSim))
    }
  }

  // ----- run -----
  spawn(registerSchool(district))
  while (pool.length > 0 || finale.length > 0) {
    if (pool.length === 0) {
      pool.push(...finale.splice(0))
      continue
    }
    const i = r.int(0, pool.length - 1)
    const task = pool[i] as Task
    pool[i] = pool[pool.length - 1] as Task
    pool.pop()
    task.run()
    const owner = task.owner
    if (owner !== undefined) {
      owner.pending--
      if (owner.pending === 0 && !owner.completed && r.chance(0.85)) spawn(complete(owner))
    }
    if (out.length > 0) yield* out.splice(0)
  }
}

/**
 * Simulates one district and returns its whole history.
 *
 * @since 0.1.0
 */
export const district = (config: Partial<DistrictConfig> = {}): Array<HistoryLine> => [
  ...simulateDistrict({ ...defaultDistrict, ...config })
]

/**
 * Upper bounds of a generated district's size, and how its envelopes are
 * written (`"random"`: rates chosen per history; or fixed rates).
 *
 * @since 0.1.0
 */
export interface DistrictSize {
  readonly subdistricts?: number
  readonly communitiesPerSubdistrict?: number
  readonly teachingPoints?: number
  readonly members?: number
  readonly classes?: number
  readonly sessionsPerClass?: number
  readonly enrolmentsPerClass?: number
  readonly envelope?: "random" | EnvelopeRates
}

/**
 * The configurations of generated districts (seed, year, sizes up to the bounds).
 *
 * @since 0.1.0
 */
export const districtConfig = (size: DistrictSize = {}): fc.Arbitrary<DistrictConfig> => {
  const rate = fc.constantFrom(0, 0, 0.5, 1)
  const envelope: fc.Arbitrary<EnvelopeRates> =
    size.envelope === undefined || size.envelope === "random"
      ? fc.record({ versions: rate, ids: rate, positions: rate, recordedAt: rate, meta: rate })
      : fc.constant(size.envelope)
  return fc.record({
    seed: fc.integer(),
    year: fc.integer({ min: 2019, max: 2030 }),
    subdistricts: fc.integer({ min: 1, max: Math.max(1, size.subdistricts ?? 3) }),
    communitiesPerSubdistrict: fc.integer({ min: 0, max: size.communitiesPerSubdistrict ?? 3 }),
    teachingPoints: fc.integer({ min: 0, max: size.teachingPoints ?? 2 }),
    members: fc.integer({ min: 1, max: Math.max(1, size.members ?? 24) }),
    classes: fc.integer({ min: 1, max: Math.max(1, size.classes ?? 5) }),
    maxSessionsPerClass: fc.integer({ min: 1, max: Math.max(1, size.sessionsPerClass ?? 5) }),
    maxEnrolmentsPerClass: fc.integer({ min: 1, max: Math.max(1, size.enrolmentsPerClass ?? 10) }),
    prefix: fc.constantFrom("", "", "D1.", "xq:"),
    envelope
  })
}

/**
 * Valid, plausible district histories (see the module comment). Sizes are
 * bounded by `size`.
 *
 * @since 0.1.0
 */
export const districtHistory = (size: DistrictSize = {}): fc.Arbitrary<History> =>
  districtConfig(size).map((c) => [...simulateDistrict(c)])

/**
 * A lazily generated log of (at least) `lines` lines: districts with distinct id
 * prefixes one after another, each line encoded by the codec as it is consumed.
 * Nothing but the current district's simulation is held in memory.
 *
 * @since 0.1.0
 */
export function* bigLog(options: {
  readonly lines: number
  readonly seed?: number
  readonly district?: Partial<DistrictConfig>
  readonly codec?: EventCodec.EventCodec
}): Generator<string, void, undefined> {
  const codec = options.codec ?? EventCodec.EventLogCodec
  let n = 0
  for (let k = 0; n < options.lines; k++) {
    const config: DistrictConfig = {
      ...defaultDistrict,
      subdistricts: 3,
      communitiesPerSubdistrict: 3,
      members: 60,
      classes: 8,
      maxSessionsPerClass: 6,
      maxEnrolmentsPerClass: 20,
      ...options.district,
      seed: (options.seed ?? 1) + k,
      prefix: `D${k}.`
    }
    for (const line of simulateDistrict(config)) {
      if (n >= options.lines) return
      yield codec.encodeLine(toRecord(line))
      n++
    }
  }
}
