/**
 * The classes of the Xiqing year: branch study in every community, rotational
 * training in 40/40/20 modules at every subdistrict, the district's classes for
 * secretaries, cadres and candidates, home delivery for elderly members,
 * micro-lessons and an online class with a New Year's Eve live stream.
 *
 * @since 0.1.0
 */
import type { Random } from "../Random.js"
import { wallClock as local, newYearsEve } from "./Clock.js"
import { MIX, MODULES, TOPICS } from "./Names.js"

/**
 * A member of the Xiqing year.
 *
 * @category models
 * @since 0.1.0
 */
export interface Member {
  readonly id: string
  readonly school: string
  readonly categories: ReadonlyArray<string>
  deregisteredAt?: number
}

/**
 * A lesson of a class plan.
 *
 * @category models
 * @since 0.1.0
 */
export interface SessionPlan {
  readonly id: string
  readonly title: string
  readonly category: "theory" | "practice" | "exemplar" | "other"
  readonly startsAt: number
  readonly minutes: number
  readonly mode: "inPerson" | "online" | "liveStream" | "onSite" | "homeDelivery"
  readonly tags?: ReadonlyArray<string>
}

/**
 * A class of the year: its lessons and the members it seats.
 *
 * @category models
 * @since 0.1.0
 */
export interface ClassPlan {
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

/**
 * The members of the year, as the classes seat them.
 *
 * @category models
 * @since 0.1.0
 */
export interface Roll {
  readonly district: string
  readonly subdistricts: ReadonlyArray<string>
  readonly communities: ReadonlyArray<string>
  readonly members: ReadonlyArray<Member>
  readonly byCommunity: ReadonlyMap<string, ReadonlyArray<Member>>
  readonly bySub: ReadonlyMap<string, ReadonlyArray<Member>>
  readonly secretaries: ReadonlyArray<Member>
  readonly cadres: ReadonlyArray<Member>
  readonly candidates: ReadonlyArray<Member>
}

/**
 * Plans every class of the year (drawing from `random` in a fixed order).
 *
 * @category utils
 * @since 0.1.0
 */
export const planClasses = (random: Random, year: number, roll: Roll): Array<ClassPlan> => {
  const { pick, chance, int: between } = random
  const { district, subdistricts, communities, members, byCommunity, bySub, secretaries, cadres, candidates } = roll
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
      session("theory", newYearsEve(year), 30, "liveStream")
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

  return classes
}
