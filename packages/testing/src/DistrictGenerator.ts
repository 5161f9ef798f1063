/**
 * A deterministic generator of a realistic district's year (seeded, no
 * fast-check): the school network of a district like Tianjin Xiqing (one district
 * school, 11 subdistrict/township schools, ~271 community/village schools and a
 * few teaching points), ~38,000 members, branch study, rotational training in
 * 40/40/20 modules, secretaries', cadres' and candidates' classes, home delivery
 * for elderly members, micro-lessons, online classes, leave, make-ups,
 * corrections, cancellations, transfers, exemptions and external credit.
 *
 * Records come lazily in business-time order, so a 1.5-million-event year never
 * sits in memory as text. The same seed always gives the same log. Used by the
 * district replay example, the benchmarks and tests.
 *
 * @since 0.1.0
 */
import type { EventCodec, Events } from "@xueshi/core"
import { makeRandom } from "./Random.js"

type EventType = Events.EventType
type LogRecord = EventCodec.LogRecord

/**
 * The shape of the district to generate.
 *
 * @since 0.1.0
 */
export interface DistrictOptions {
  /** PRNG seed (default 2025). */
  readonly seed?: number
  /** The calendar year (default 2025). */
  readonly year?: number
  /** Number of members (default 38,000). */
  readonly members?: number
  /** Number of subdistrict/township schools (default 11). */
  readonly subdistricts?: number
  /** Number of community/village schools in all (default 271). */
  readonly communities?: number
  /** Grant some members external credit from an online platform (default true). */
  readonly externalCredit?: boolean
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
const OFFSET = 8 * HOUR

/** An instant at +08:00 from epoch milliseconds (no milliseconds written). */
const at = (ms: number): string => `${new Date(ms + OFFSET).toISOString().slice(0, 19)}+08:00`
/** Epoch ms of a local (+08:00) wall-clock time. */
const local = (year: number, month: number, day: number, hour = 0, minute = 0): number =>
  Date.UTC(year, month - 1, day, hour, minute) - OFFSET
const dateOf = (ms: number): string => at(ms).slice(0, 10)

type Rec = LogRecord
type Cat = Events.StreamCategory

/** A record from a wire-shaped payload (branded ids are plain strings here; the validator checks them). */
const rec = (category: Cat, id: string, type: EventType, data: object): Rec =>
  ({ stream: `${category}-${id}`, type, data, schemaVersion: 1 }) as unknown as Rec

interface Member {
  readonly id: string
  readonly school: string
  readonly categories: ReadonlyArray<string>
  deregisteredAt?: number
}

interface SessionPlan {
  readonly id: string
  readonly title: string
  readonly category: "theory" | "practice" | "exemplar" | "other"
  readonly startsAt: number
  readonly minutes: number
  readonly mode: "inPerson" | "online" | "liveStream" | "onSite" | "homeDelivery"
  readonly tags?: ReadonlyArray<string>
}

interface ClassPlan {
  readonly id: string
  readonly school: string
  readonly title: string
  readonly format:
    | "concentrated"
    | "rotational"
    | "microLesson"
    | "online"
    | "homeDelivery"
    | "mobileClassroom"
    | "onSite"
    | "branchStudy"
  readonly module?: string
  readonly audience?: ReadonlyArray<string>
  readonly capacity?: number
  readonly sessions: ReadonlyArray<SessionPlan>
  readonly members: ReadonlyArray<Member>
}

/** A timeline item: something that happens at `time`; ties keep insertion order. */
interface Item {
  readonly time: number
  readonly seq: number
  readonly run: () => Iterable<Rec>
}

/** A binary min-heap of timeline items by (time, seq). */
class Timeline {
  private readonly heap: Array<Item> = []
  private seq = 0
  push(time: number, run: () => Iterable<Rec>): void {
    const h = this.heap
    h.push({ time, seq: this.seq++, run })
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (less(h[i] as Item, h[p] as Item)) {
        ;[h[i], h[p]] = [h[p] as Item, h[i] as Item]
        i = p
      } else break
    }
  }
  pop(): Item | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (h.length > 0 && last !== undefined) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && less(h[l] as Item, h[m] as Item)) m = l
        if (r < h.length && less(h[r] as Item, h[m] as Item)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m] as Item, h[i] as Item]
        i = m
      }
    }
    return top
  }
}
const less = (a: Item, b: Item) => a.time < b.time || (a.time === b.time && a.seq < b.seq)

/** The 40/40/20 cycle of five lessons: theory, practice, theory, practice, exemplar. */
const MIX: ReadonlyArray<"theory" | "practice" | "exemplar"> = ["theory", "practice", "theory", "practice", "exemplar"]
const MODULES = ["ruralRevitalisation", "grassrootsGovernance", "partyAffairs"] as const
const TOPICS: Record<"theory" | "practice" | "exemplar" | "other", ReadonlyArray<string>> = {
  theory: ["党的二十大精神", "习近平新时代中国特色社会主义思想", "党章党规", "党的创新理论"],
  practice: ["基层治理实务", "乡村振兴实践", "党务工作规范", "网格化服务"],
  exemplar: ["时代楷模事迹", "优秀共产党员风采", "英模精神"],
  other: ["形势政策", "健康讲座"]
}

/**
 * Generates a district's year as log records in business-time order (no
 * `version`/`position`: a store or the validator assigns them). Deterministic
 * for a given set of options.
 *
 * @since 0.1.0
 */
export function* generateDistrict(options: DistrictOptions = {}): Generator<LogRecord> {
  const seed = options.seed ?? 2025
  const year = options.year ?? 2025
  const memberCount = options.members ?? 38_000
  const subCount = options.subdistricts ?? 11
  const communityCount = Math.max(subCount, options.communities ?? 271)
  const random = makeRandom(seed)
  const rnd = random.next
  const pick = random.pick
  const chance = random.chance
  const between = random.int
  const startOfYear = local(year, 1, 1)

  // -- the school network ---------------------------------------------------
  const district = "XQ"
  yield rec("school", district, "SchoolRegistered", {
    schoolId: district,
    name: "区委党校",
    tier: "district"
  })
  const subdistricts: Array<string> = []
  const communitiesOf = new Map<string, Array<string>>()
  for (let s = 1; s <= subCount; s++) {
    const id = `XQ-S${String(s).padStart(2, "0")}`
    subdistricts.push(id)
    communitiesOf.set(id, [])
    yield rec("school", id, "SchoolRegistered", {
      schoolId: id,
      name: `${s % 3 === 0 ? "镇" : "街道"}党校 ${s}`,
      tier: s % 3 === 0 ? "township" : "subdistrict",
      parentId: district
    })
  }
  const communities: Array<string> = []
  for (let c = 0; c < communityCount; c++) {
    const sub = subdistricts[c % subCount] as string
    const id = `${sub}-C${String(Math.floor(c / subCount) + 1).padStart(3, "0")}`
    communities.push(id)
    communitiesOf.get(sub)?.push(id)
    const village = sub.endsWith("3") || sub.endsWith("6") || sub.endsWith("9")
    yield rec("school", id, "SchoolRegistered", {
      schoolId: id,
      name: `${village ? "村" : "社区"}党校 ${id}`,
      tier: village ? "village" : "community",
      parentId: sub
    })
  }
  for (const sub of subdistricts) {
    for (let t = 1; t <= 2; t++) {
      yield rec("school", `${sub}-T${t}`, "SchoolRegistered", {
        schoolId: `${sub}-T${t}`,
        name: `教学点 ${sub}-${t}`,
        tier: "teachingPoint",
        parentId: sub
      })
    }
  }
  for (const sub of subdistricts) {
    const comms = communitiesOf.get(sub)?.length ?? 0
    yield rec("school", sub, "QuotaClaimed", {
      schoolId: sub,
      year,
      traineeTimes: Math.round((memberCount / subCount) * 1.6),
      classes: comms + 16
    })
  }

  // -- members ----------------------------------------------------------------
  const members: Array<Member> = []
  const byCommunity = new Map<string, Array<Member>>()
  const bySub = new Map<string, Array<Member>>()
  const secretaries: Array<Member> = []
  const cadres: Array<Member> = []
  const candidates: Array<Member> = []
  const elderly: Array<Member> = []
  const later = new Timeline()
  for (let i = 0; i < memberCount; i++) {
    const id = `M${String(i + 1).padStart(6, "0")}`
    const r = rnd()
    let school: string
    let categories: Array<string>
    if (r < 0.005) {
      school = district
      categories = ["leadingCadre"]
    } else if (r < 0.035) {
      school = pick(subdistricts)
      categories = chance(0.3) ? ["organCadre", "reserveCadre"] : ["organCadre"]
    } else {
      school = communities[i % communities.length] as string
      const inCommunity = byCommunity.get(school)?.length ?? 0
      const q = rnd()
      categories =
        inCommunity === 0
          ? ["grassrootsSecretary"]
          : inCommunity < 4
            ? ["committeeMember"]
            : q < 0.08
              ? ["ordinaryMember", "elderlyOrInfirm"]
              : q < 0.11
                ? ["probationaryMember"]
                : q < 0.13
                  ? ["candidate"]
                  : q < 0.15
                    ? ["ordinaryMember", "mobileMember"]
                    : q < 0.17
                      ? ["partyAffairsWorker"]
                      : ["ordinaryMember"]
    }
    const m: Member = { id, school, categories }
    members.push(m)
    if (!byCommunity.has(school)) byCommunity.set(school, [])
    byCommunity.get(school)?.push(m)
    const sub = school === district ? district : school.slice(0, 6)
    if (!bySub.has(sub)) bySub.set(sub, [])
    bySub.get(sub)?.push(m)
    if (categories.includes("grassrootsSecretary")) secretaries.push(m)
    if (categories.includes("organCadre") || categories.includes("leadingCadre")) cadres.push(m)
    if (categories.includes("candidate")) candidates.push(m)
    if (categories.includes("elderlyOrInfirm")) elderly.push(m)
    const joinsInYear = chance(0.03)
    yield rec("member", id, "MemberRegistered", {
      memberId: id,
      schoolId: school,
      categories,
      ...(joinsInYear ? { joinedOn: dateOf(local(year, between(2, 11), between(1, 28))) } : {})
    })
    if (categories.includes("elderlyOrInfirm") && chance(0.85)) {
      yield rec("member", id, "ExemptionGranted", {
        memberId: id,
        year,
        reason: "elderlyOrInfirm"
      })
    }
  }
  // life events later in the year: transfers, category changes, deregistrations
  for (const m of members) {
    const r = rnd()
    if (r < 0.01 && communities.includes(m.school)) {
      const t = local(year, between(5, 9), between(1, 28), 10)
      let to = pick(communities)
      if (to === m.school) to = communities[(communities.indexOf(to) + 1) % communities.length] as string
      later.push(t, () => [
        rec("member", m.id, "MemberTransferred", {
          memberId: m.id,
          schoolId: to,
          effectiveOn: dateOf(t)
        })
      ])
    } else if (r < 0.02 && m.categories.includes("probationaryMember")) {
      const t = local(year, between(6, 10), between(1, 28), 10)
      later.push(t, () => [
        rec("member", m.id, "MemberCategoriesChanged", {
          memberId: m.id,
          categories: ["ordinaryMember", "newMember"],
          effectiveOn: dateOf(t)
        })
      ])
    } else if (r < 0.023) {
      const t = local(year, 12, between(22, 30), 10)
      m.deregisteredAt = t
      later.push(t, () => [
        rec("member", m.id, "MemberDeregistered", {
          memberId: m.id,
          effectiveOn: dateOf(t),
          reason: pick(["去世", "出党", "组织关系转出区外"])
        })
      ])
    }
  }

  // -- classes ------------------------------------------------------------------
  const classes: Array<ClassPlan> = []
  let sessionNo = 0
  const session = (
    category: SessionPlan["category"],
    startsAt: number,
    minutes: number,
    mode: SessionPlan["mode"] = "inPerson"
  ): SessionPlan => ({
    id: `S${String(++sessionNo).padStart(6, "0")}`,
    title: pick(TOPICS[category]),
    category,
    startsAt,
    minutes,
    mode,
    ...(category === "theory" ? { tags: chance(0.7) ? ["newThought"] : ["partySpirit"] } : {})
  })
  const seats = (pool: ReadonlyArray<Member>, size: number): Array<Member> => {
    const out = new Set<Member>()
    if (pool.length === 0) return []
    for (let i = 0; i < size * 3 && out.size < Math.min(size, pool.length); i++) out.add(pick(pool))
    return [...out]
  }
  // branch study: each community, monthly evening lessons of 90–120 minutes, Feb–Dec
  for (const c of communities) {
    const pool = (byCommunity.get(c) ?? []).filter((m) => !m.categories.includes("elderlyOrInfirm") || chance(0.2))
    const sessions: Array<SessionPlan> = []
    let k = 0
    for (let month = 2; month <= 12; month++) {
      if (month === 8) continue
      sessions.push(
        session(
          MIX[k++ % MIX.length] as SessionPlan["category"],
          local(year, month, between(5, 25), 19),
          pick([90, 120])
        )
      )
    }
    classes.push({ id: `${c}-BS`, school: c, title: "支部学习", format: "branchStudy", sessions, members: pool })
  }
  // rotational training (集中轮训): cohorts at each subdistrict, 5 lessons of 180 minutes in 40/40/20, one module each
  for (const sub of subdistricts) {
    const pool = (bySub.get(sub) ?? []).filter((m) => !m.categories.includes("elderlyOrInfirm"))
    const cohorts = Math.max(1, Math.ceil((pool.length * 0.7) / 150))
    const shuffled = seats(pool, Math.floor(pool.length * 0.7))
    for (let c = 0; c < cohorts; c++) {
      const module = MODULES[c % MODULES.length] as string
      const month = 3 + (c % 8)
      const day = between(1, 20)
      const sessions = MIX.map((cat, i) => session(cat, local(year, month, day + i, 9), 180))
      classes.push({
        id: `${sub}-RT${String(c + 1).padStart(2, "0")}`,
        school: sub,
        title: `集中轮训 第${c + 1}期`,
        format: "rotational",
        module,
        audience: [
          "ordinaryMember",
          "committeeMember",
          "partyAffairsWorker",
          "probationaryMember",
          "organCadre",
          "mobileMember",
          "newMember"
        ],
        capacity: 150,
        sessions,
        members: shuffled.slice(c * 150, (c + 1) * 150)
      })
    }
  }
  // district: secretaries' class (three days, 8 lessons of 210 minutes)
  for (let c = 0; c * 100 < secretaries.length; c++) {
    const sessions: Array<SessionPlan> = []
    const month = 4 + c
    for (let d = 0; d < 3; d++) {
      sessions.push(session(d === 2 ? "exemplar" : "theory", local(year, month, 10 + d, 8, 30), 210))
      sessions.push(session("practice", local(year, month, 10 + d, 14), 210))
    }
    classes.push({
      id: `XQ-SEC${c + 1}`,
      school: district,
      title: `基层党组织书记培训班 第${c + 1}期`,
      format: "concentrated",
      audience: ["grassrootsSecretary"],
      capacity: 100,
      sessions,
      members: secretaries.slice(c * 100, (c + 1) * 100)
    })
  }
  // district: cadres' class (12 days of 2 lessons)
  if (cadres.length > 0) {
    const sessions: Array<SessionPlan> = []
    for (let d = 0; d < 12; d++) {
      sessions.push(session(MIX[d % 5] as SessionPlan["category"], local(year, 9, 1 + d, 8, 30), 240))
      sessions.push(session(MIX[(d + 1) % 5] as SessionPlan["category"], local(year, 9, 1 + d, 14), 240))
    }
    for (let c = 0; c * 400 < cadres.length; c++) {
      classes.push({
        id: `XQ-CAD${c + 1}`,
        school: district,
        title: `干部进修班 第${c + 1}期`,
        format: "concentrated",
        audience: ["organCadre", "leadingCadre", "reserveCadre"],
        capacity: 400,
        sessions: sessions.map((s) => ({ ...s, id: `${s.id}-${c + 1}` })),
        members: cadres.slice(c * 400, (c + 1) * 400)
      })
    }
  }
  // district: candidates' class (three days)
  if (candidates.length > 0) {
    const sessions: Array<SessionPlan> = []
    for (let d = 0; d < 3; d++) {
      sessions.push(session("theory", local(year, 6, 16 + d, 9), 240))
      sessions.push(session(d === 1 ? "exemplar" : "practice", local(year, 6, 16 + d, 14), 240))
    }
    for (let c = 0; c * 500 < candidates.length; c++) {
      classes.push({
        id: `XQ-CAND${c + 1}`,
        school: district,
        title: `发展对象培训班 第${c + 1}期`,
        format: "concentrated",
        audience: ["candidate", "activist"],
        capacity: 500,
        sessions: sessions.map((s) => ({ ...s, id: `${s.id}-${c + 1}` })),
        members: candidates.slice(c * 500, (c + 1) * 500)
      })
    }
  }
  // home delivery (送学上门) for elderly members, by subdistrict, quarterly
  for (const sub of subdistricts) {
    const pool = (bySub.get(sub) ?? []).filter((m) => m.categories.includes("elderlyOrInfirm"))
    if (pool.length === 0) continue
    const sessions = [3, 6, 9, 11].map((month, i) =>
      session(i % 2 === 0 ? "theory" : "exemplar", local(year, month, 15, 10), 60, "homeDelivery")
    )
    classes.push({ id: `${sub}-HD`, school: sub, title: "送学上门", format: "homeDelivery", sessions, members: pool })
  }
  // micro-lessons (微党课) at each subdistrict: 15 minutes, for its community secretaries and committee members
  for (const sub of subdistricts) {
    const pool = (bySub.get(sub) ?? []).filter(
      (m) => m.categories.includes("committeeMember") || m.categories.includes("grassrootsSecretary")
    )
    const sessions = [4, 7, 10].map((month) => session("theory", local(year, month, 8, 12), 15))
    classes.push({ id: `${sub}-ML`, school: sub, title: "微党课", format: "microLesson", sessions, members: pool })
  }
  // an online class of the district, with a New Year's Eve live stream at 23:30
  {
    const sessions = [
      session("theory", local(year, 7, 1, 20), 60, "liveStream"),
      session("exemplar", local(year, 10, 20, 20), 45, "online"),
      session("theory", local(year, 12, 31, 23, 30), 30, "liveStream")
    ]
    classes.push({
      id: "XQ-ONLINE",
      school: district,
      title: "云课堂",
      format: "online",
      sessions,
      members: seats(members, Math.min(3000, members.length))
    })
  }

  // plan every class in January, enrol its members (only those in its audience)
  for (const plan of classes) {
    const c: ClassPlan =
      plan.audience === undefined
        ? plan
        : { ...plan, members: plan.members.filter((m) => m.categories.some((x) => plan.audience?.includes(x))) }
    const planned = local(year, 1, 5 + (classes.indexOf(plan) % 20), 9)
    later.push(planned, function* () {
      yield rec("class", c.id, "ClassPlanned", {
        classId: c.id,
        schoolId: c.school,
        title: c.title,
        format: c.format,
        ...(c.module === undefined ? {} : { module: c.module }),
        ...(c.audience === undefined ? {} : { audience: c.audience }),
        ...(c.capacity === undefined ? {} : { capacity: c.capacity })
      })
      for (const s of c.sessions) {
        yield rec("class", c.id, "SessionScheduled", {
          classId: c.id,
          sessionId: s.id,
          title: s.title,
          category: s.category,
          startsAt: at(s.startsAt),
          minutes: s.minutes,
          mode: s.mode,
          ...(s.tags === undefined ? {} : { tags: s.tags })
        })
      }
      for (const m of c.members) {
        yield rec("class", c.id, "MemberEnrolled", {
          classId: c.id,
          memberId: m.id,
          at: at(planned + HOUR)
        })
      }
    })
    const withdrawn = new Set<string>()
    for (const s of c.sessions) {
      later.push(s.startsAt, function* () {
        if (chance(0.005)) {
          yield rec("class", c.id, "SessionCancelled", {
            classId: c.id,
            sessionId: s.id,
            reason: pick(["天气原因", "讲师临时有事", "场地冲突"])
          })
          return
        }
        for (const m of c.members) {
          if (withdrawn.has(m.id)) continue
          if (m.deregisteredAt !== undefined && m.deregisteredAt <= s.startsAt) continue
          const r = rnd()
          const base = { classId: c.id, sessionId: s.id, memberId: m.id }
          if (r < 0.8) {
            yield rec("class", c.id, "AttendanceRecorded", {
              ...base,
              minutes: s.minutes,
              at: at(s.startsAt)
            })
            if (chance(0.002)) {
              const minutes = chance(0.3) ? 0 : Math.max(1, Math.floor(s.minutes * 0.5))
              later.push(s.startsAt + 3 * DAY, () => [
                rec("class", c.id, "AttendanceCorrected", {
                  ...base,
                  minutes,
                  reason: "考勤核对更正"
                })
              ])
            }
          } else if (r < 0.87) {
            const minutes = Math.max(1, Math.floor(s.minutes * (0.4 + rnd() * 0.55)))
            yield rec("class", c.id, "AttendanceRecorded", {
              ...base,
              minutes,
              at: at(s.startsAt)
            })
          } else if (r < 0.93) {
            yield rec("class", c.id, "LeaveGranted", {
              ...base,
              reason: pick(["病假", "事假", "公务"])
            })
            if (chance(0.4)) {
              const t = s.startsAt + between(2, 9) * DAY
              if (t < (c.sessions[c.sessions.length - 1]?.startsAt ?? 0) + DAY / 2) {
                later.push(t, () =>
                  withdrawn.has(m.id)
                    ? []
                    : [
                        rec("class", c.id, "MakeUpCompleted", {
                          ...base,
                          minutes: s.minutes,
                          at: at(t),
                          mode: "online"
                        })
                      ]
                )
              }
            }
          } else if (r < 0.932 && c.sessions.length > 3) {
            withdrawn.add(m.id)
            yield rec("class", c.id, "EnrollmentWithdrawn", {
              classId: c.id,
              memberId: m.id,
              at: at(s.startsAt),
              reason: "工作调动"
            })
          }
          // else: absent without leave (旷课)
        }
      })
    }
    const last = c.sessions.reduce((t, s) => Math.max(t, s.startsAt + s.minutes * 60_000), startOfYear)
    // completion: a day after the last lesson (make-ups are recorded before it), but within the year
    const done = Math.min(last + DAY, local(year, 12, 31, 23, 59))
    if (done > last) {
      later.push(done, () => [rec("class", c.id, "ClassCompleted", { classId: c.id, at: at(done) })])
    }
  }
  // external credit from an online platform
  if (options.externalCredit ?? true) {
    for (const m of members) {
      if (!chance(0.1)) continue
      const t = local(year, between(2, 11), between(1, 28), 21)
      if (m.deregisteredAt !== undefined && m.deregisteredAt <= t) continue
      const ref = `course-${between(1000, 9999)}`
      later.push(t, () => [
        rec("credit", m.id, "CreditGranted", {
          memberId: m.id,
          grantId: `ext:xuexi:${ref}:${t}`,
          year,
          hours: pick([50, 100, 150, 200]),
          mode: "online",
          source: { kind: "external", system: "xuexi-online", reference: ref },
          policyId: "external",
          at: at(t)
        })
      ])
    }
  }

  for (let item = later.pop(); item !== undefined; item = later.pop()) yield* item.run()
}
