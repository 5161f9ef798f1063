/**
 * The Xiqing year: a deterministic, realistic district (seeded, no
 * fast-check): the school network of a district like Tianjin Xiqing (one
 * district school, 11 subdistrict/township schools, ~271 community/village
 * schools and a few teaching points), ~38,000 members, branch study,
 * rotational training in 40/40/20 modules, secretaries', cadres' and
 * candidates' classes, home delivery for elderly members, micro-lessons, online
 * classes, leave, make-ups, corrections, cancellations, transfers, exemptions
 * and external credit.
 *
 * Records come lazily in business-time order, so a 1.5-million-event year never
 * sits in memory as text. The same seed always gives the same log: the demo's
 * report digest is pinned on its default output.
 *
 * @since 0.1.0
 */
import type { EventCodec } from "@xueshi/core"
import { makeRandom } from "../Random.js"
import { instantOf as at, DAY, dateOf, HOUR, wallClock as local } from "./Clock.js"
import { CANCELLATION_REASONS, XIQING_DEREGISTRATION_REASONS, XIQING_LEAVE_REASONS } from "./Names.js"
import { record as rec } from "./Records.js"
import {
  addSchool,
  communityId,
  districtSchool,
  registration,
  type SchoolNode,
  subdistrictId,
  teachingPointId,
  xiqingIds
} from "./Schools.js"
import { Timeline } from "./Timeline.js"
import { type ClassPlan, type Member, planClasses } from "./XiqingClasses.js"

type LogRecord = EventCodec.LogRecord

/**
 * The shape of the Xiqing year.
 *
 * @category models
 * @since 0.1.0
 */
export interface DistrictOptions {
  /** The Xiqing shape (the default; `generateDistrict` also takes `"random"`). */
  readonly shape?: "xiqing"
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

/**
 * The school tree of the Xiqing year: the district school, `subCount`
 * subdistricts (every third a township), `communityCount` communities dealt to
 * them in turn (villages under townships) and two teaching points under each
 * subdistrict.
 *
 * @category utils
 * @since 0.1.0
 */
export const xiqingSchools = (subCount: number, communityCount: number) => {
  const root = districtSchool()
  const subdistricts: Array<SchoolNode> = []
  for (let s = 1; s <= subCount; s++) {
    const township = s % 3 === 0
    subdistricts.push(
      addSchool(
        root,
        subdistrictId(xiqingIds, s),
        township ? "township" : "subdistrict",
        `${township ? "镇" : "街道"}党校 ${s}`
      )
    )
  }
  const communities: Array<SchoolNode> = []
  for (let c = 0; c < communityCount; c++) {
    const sub = subdistricts[c % subCount] as SchoolNode
    const id = communityId(xiqingIds, sub.id, Math.floor(c / subCount) + 1)
    const village = sub.id.endsWith("3") || sub.id.endsWith("6") || sub.id.endsWith("9")
    communities.push(addSchool(sub, id, village ? "village" : "community", `${village ? "村" : "社区"}党校 ${id}`))
  }
  const teachingPoints: Array<SchoolNode> = []
  for (const sub of subdistricts) {
    for (let t = 1; t <= 2; t++) {
      teachingPoints.push(
        addSchool(sub, teachingPointId(xiqingIds, sub.id, t), "teachingPoint", `教学点 ${sub.id}-${t}`)
      )
    }
  }
  return { root, subdistricts, communities, teachingPoints }
}

/**
 * Generates the Xiqing year as log records in business-time order (no
 * `version`/`position`: a store or the validator assigns them). Deterministic
 * for a given set of options.
 *
 * @category utils
 * @since 0.1.0
 */
export function* xiqingYear(options: DistrictOptions = {}): Generator<LogRecord> {
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
  const tree = xiqingSchools(subCount, communityCount)
  const district = tree.root.id
  for (const s of [tree.root, ...tree.subdistricts, ...tree.communities, ...tree.teachingPoints])
    yield rec("school", s.id, "SchoolRegistered", registration(s))
  const subdistricts = tree.subdistricts.map((s) => s.id)
  const communities = tree.communities.map((s) => s.id)
  for (const sub of tree.subdistricts) {
    yield rec("school", sub.id, "QuotaClaimed", {
      schoolId: sub.id,
      year,
      traineeTimes: Math.round((memberCount / subCount) * 1.6),
      classes: sub.children.filter((c) => c.tier !== "teachingPoint").length + 16
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
          reason: pick(XIQING_DEREGISTRATION_REASONS)
        })
      ])
    }
  }

  const classes = planClasses(random, year, {
    district,
    subdistricts,
    communities,
    members,
    byCommunity,
    bySub,
    secretaries,
    cadres,
    candidates
  })

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
            reason: pick(CANCELLATION_REASONS)
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
              reason: pick(XIQING_LEAVE_REASONS)
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
