/**
 * The random shape of a district: a simulation that gives small, causally valid
 * histories reaching every rule's edge.
 *
 * A history is built by simulating a district: a district school with
 * subdistrict/township children, community/village grandchildren and teaching
 * points; members registered at schools (some elderly or infirm with
 * exemptions, some revoked, some transferred, some changing categories, a few
 * deregistered at the end); classes planned by schools with optional audience
 * and capacity; sessions scheduled (some at 23:30 on 31 December), enrolments,
 * attendance, leave, make-ups, corrections (some to 0, some after completion),
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
import { type Calendar, Events, type Ids, type Vocabulary } from "@xueshi/core"
import { makeRandom } from "../Random.js"
import { instantOf as cst, wallClock } from "./Clock.js"
import type { DistrictConfig } from "./Config.js"
import type { HistoryLine } from "./Lines.js"
import { ACTORS, COMMON_CATEGORIES } from "./Names.js"
import {
  addSchool,
  communityId,
  districtSchool,
  lowerTier,
  registration,
  type SchoolNode,
  shortIds,
  subdistrictId,
  teachingPointId
} from "./Schools.js"
import { classTasks } from "./SimulationClasses.js"
import { memberTasks } from "./SimulationMembers.js"
import type { ClassSim, MemberSim, Simulation, Task } from "./SimulationState.js"

/**
 * Simulates one district and yields its history line by line (lazily: the
 * lines are produced as they are consumed).
 *
 * The random shape of `District.generateDistrict` (the Xiqing year is the
 * default one): this simulation is the property tests' source of small,
 * causally valid histories that reach every rule's edge (corrections to 0 and
 * after completion, sessions at 23:30 on 31 December, capacity and audience,
 * withdrawals, deregistrations) with every envelope variant and id prefix.
 *
 * @category utils
 * @since 0.1.0
 */
export function* simulateDistrict(config: DistrictConfig): Generator<HistoryLine, void, undefined> {
  const r = makeRandom(config.seed)
  const { year, prefix } = config
  const env = config.envelope
  const versions = new Map<string, number>()
  let position = (config.firstPosition ?? 1) - 1
  const yearStart = wallClock(year, 1, 2, 8) // 2 January, 08:00 in China
  const yearEnd = wallClock(year, 12, 31, 23) // 31 December, 23:00 in China
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
    if (env.meta > 0 && r.chance(env.meta)) line.meta = { source: "simulation", actor: r.pick(ACTORS) }
    out.push(line as unknown as HistoryLine)
    now = Math.min(yearEnd, now + r.int(0, 240) * 60_000)
  }
  const at = () => cst(now) as Calendar.Instant
  const today = () => cst(now).slice(0, 10) as Calendar.LocalDate

  // ----- the school tree -----
  const district = districtSchool(prefix)
  const schools: Array<SchoolNode> = [district]
  for (let i = 1; i <= config.subdistricts; i++) {
    const tier: Vocabulary.SchoolTier = r.chance(0.5) ? "subdistrict" : "township"
    const sub = addSchool(district, subdistrictId(shortIds, i, prefix), tier, `第${i}街道党校`)
    schools.push(sub)
    for (let j = 1; j <= config.communitiesPerSubdistrict; j++) {
      const name = tier === "township" ? `第${j}村党校` : `第${j}社区党校`
      schools.push(addSchool(sub, communityId(shortIds, sub.id, j), lowerTier(tier), name))
    }
  }
  const lower = schools.filter((s) => s.tier === "community" || s.tier === "village")
  for (let t = 1; t <= config.teachingPoints; t++) {
    const parent = lower.length > 0 ? r.pick(lower) : r.pick(schools.filter((s) => s.tier !== "teachingPoint"))
    schools.push(addSchool(parent, teachingPointId(shortIds, parent.id, t), "teachingPoint", `教学点${t}`))
  }
  const registeredSchools: Array<SchoolNode> = []

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
      schoolId: home.id as Ids.SchoolId,
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

  const pool: Array<Task> = []
  const finale: Array<Task> = []
  const spawn = (run: () => void, owner?: ClassSim) => {
    if (owner !== undefined) owner.pending++
    pool.push(owner === undefined ? { run } : { run, owner })
  }
  const memberById = new Map<string, MemberSim>()
  for (const m of members) memberById.set(m.id, m)
  const sim: Simulation = {
    r,
    config,
    year,
    emit,
    at,
    today,
    spawn,
    finale,
    activeMembers,
    registeredSchools,
    memberById
  }
  const { registerMember, sessionCredit } = memberTasks(sim)
  const { planClass, complete } = classTasks(sim, sessionCredit)

  const registerSchool = (s: SchoolNode) => () => {
    emit("SchoolRegistered", registration(s) as Events.PayloadOf<"SchoolRegistered">)
    registeredSchools.push(s)
    for (const c of s.children) spawn(registerSchool(c))
    for (const m of membersBySchool.get(s.id) ?? []) spawn(registerMember(m))
    for (const n of classesBySchool.get(s.id) ?? []) spawn(planClass(n, s))
    if ((s.tier === "subdistrict" || s.tier === "township") && r.chance(0.7)) {
      spawn(claimQuota(s))
      if (r.chance(0.2)) spawn(claimQuota(s))
    }
  }

  const claimQuota = (s: SchoolNode) => () => {
    const traineeTimes = r.int(0, 2000)
    emit("QuotaClaimed", {
      schoolId: s.id as Ids.SchoolId,
      year,
      traineeTimes,
      ...(r.chance(0.5) ? { classes: r.int(0, 40) } : {})
    })
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
