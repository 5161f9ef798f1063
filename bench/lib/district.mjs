// A seeded generator of one district year (D1): the school tree, members, classes with
// sessions, enrolments, attendance, leave, make-up, credit grants under standard-45 (45
// attended minutes = 1 hour, rounded down to 0.25 h), completions, a few transfers and
// exemptions. Shaped after shared/domain/RULES.md (Tianjin Xiqing: 11 subdistrict/township
// schools, 271 villages and communities): 38,000 members give about 1.4 million events.
// The log it produces passes the core's LogValidator (checked by the harness on a small
// district every run), so the policy projections can fold it.
import { Calendar, Events } from "@xueshi/core"
import { makeRng, pick, randInt, uuid } from "./rng.mjs"

const OFFSET = 480
const DAY = 86_400_000
const HOUR = 3_600_000
const pad = (n, w) => String(n).padStart(w, "0")
const instants = new Map()
const at = (ms) => {
  let s = instants.get(ms)
  if (s === undefined) {
    s = Calendar.makeInstant(ms, OFFSET)
    if (instants.size > 50_000) instants.clear()
    instants.set(ms, s)
  }
  return s
}
const YEAR = 2025
const Y0 = Date.UTC(YEAR, 0, 1) - OFFSET * 60_000 // 2025-01-01T00:00+08:00

const SUBDISTRICTS = [
  "精武镇",
  "杨柳青镇",
  "中北镇",
  "张家窝镇",
  "大寺镇",
  "王稳庄镇",
  "辛口镇",
  "李七庄街",
  "西营门街",
  "赤龙南街",
  "津门湖街"
]
const CLASS_TITLES = [
  "学习贯彻党的二十届三中全会精神专题培训班",
  "基层党组织书记能力提升班",
  "乡村振兴与集体经济发展专题班",
  "党员冬春训集中轮训班"
]
const SESSION_PLAN = [
  { title: "党的创新理论专题辅导", category: "theory", minutes: 90, tags: ["newThought"] },
  { title: "基层治理实务与案例研讨", category: "practice", minutes: 90 },
  { title: "党章党规党纪学习", category: "theory", minutes: 90, tags: ["partySpirit"] },
  { title: "党务工作规范化实操", category: "practice", minutes: 90 },
  { title: "身边先进模范事迹报告", category: "exemplar", minutes: 90 }
]
const CADRE_PLAN = [
  { title: "新时代党的建设总要求", category: "theory", minutes: 180, tags: ["newThought"] },
  { title: "基层党组织标准化建设", category: "practice", minutes: 180 },
  { title: "抓党建促乡村振兴经验交流", category: "practice", minutes: 180 },
  { title: "优秀党务工作者事迹宣讲", category: "exemplar", minutes: 180 }
]
const LEAVE_REASONS = ["因公出差，经支部书记批准请假", "身体不适，已提交病假证明", "家中有事，已向班主任请假"]

/** standard-45: attended minutes at 45 minutes = 1 hour, rounded down to 0.25 h; in 0.01 h. */
const standard45 = (minutes) => Math.floor((minutes * 4) / 45) * 25

/**
 * Generates the year. Returns `{ entries, schools, members, classes }` where `entries` is the
 * log in global order: `{ stream, event, id, recordedAt }` with runtime events built with the
 * core's constructors.
 */
export const generateDistrict = ({ members: M = 38_000, seed = 20_250_101 } = {}) => {
  const rng = makeRng(seed)
  const entries = []
  let clock = Y0 + 2 * DAY + 9 * HOUR
  const push = (stream, event, ms) => {
    entries.push({ stream, event, id: uuid(rng), recordedAt: at(ms) })
  }

  // --- schools -------------------------------------------------------------
  const district = "XQ"
  const subs = SUBDISTRICTS.map((_, i) => `XQ-S${pad(i + 1, 2)}`)
  const communities = Math.max(1, Math.min(271, Math.ceil(M / 140)))
  const comms = Array.from({ length: communities }, (_, c) => `${subs[c % subs.length]}-C${pad(c + 1, 3)}`)
  push(
    `school-${district}`,
    Events.makeEvent("SchoolRegistered", { schoolId: district, name: "西青区委党校", tier: "district" }),
    clock
  )
  subs.forEach((s, i) => {
    const tier = i < 7 ? "township" : "subdistrict"
    push(
      `school-${s}`,
      Events.makeEvent("SchoolRegistered", { schoolId: s, name: `${SUBDISTRICTS[i]}党校`, tier, parentId: district }),
      clock
    )
  })
  comms.forEach((c, i) => {
    push(
      `school-${c}`,
      Events.makeEvent("SchoolRegistered", {
        schoolId: c,
        name: `第${i + 1}社区（村）党校`,
        tier: i % 3 === 0 ? "village" : "community",
        parentId: subs[i % subs.length]
      }),
      clock
    )
  })
  clock += DAY
  subs.forEach((s) => {
    push(
      `school-${s}`,
      Events.makeEvent("QuotaClaimed", {
        schoolId: s,
        year: YEAR,
        traineeTimes: Math.ceil((M / subs.length) * 4.4),
        classes: Math.ceil(communities / subs.length) * 4 + 2
      }),
      clock
    )
  })

  // --- members -------------------------------------------------------------
  const memberIds = new Array(M)
  const memberStreams = new Array(M)
  const creditStreams = new Array(M)
  const memberComm = new Int32Array(M)
  const cadre = new Uint8Array(M)
  const exempt = new Uint8Array(M)
  const deregistered = new Uint8Array(M)
  clock += DAY
  for (let m = 0; m < M; m++) {
    const id = `XQ-M${pad(m, 6)}`
    memberIds[m] = id
    memberStreams[m] = `member-${id}`
    creditStreams[m] = `credit-${id}`
    const c = m % communities
    memberComm[m] = c
    const r = rng()
    let categories
    if (r < 0.05) {
      categories = ["ordinaryMember", "elderlyOrInfirm"]
      exempt[m] = 1
    } else if (r < 0.08) {
      categories = ["grassrootsSecretary"]
      cadre[m] = 1
    } else if (r < 0.12) {
      categories = ["committeeMember", "partyAffairsWorker"]
      cadre[m] = 1
    } else if (r < 0.16) categories = ["probationaryMember"]
    else if (r < 0.18) categories = ["ordinaryMember", "mobileMember"]
    else categories = ["ordinaryMember"]
    const joined = Calendar.makeLocalDate(1960 + randInt(rng, 65), 1 + randInt(rng, 12), 1 + randInt(rng, 28))
    push(
      memberStreams[m],
      Events.makeEvent("MemberRegistered", { memberId: id, schoolId: comms[c], categories, joinedOn: joined }),
      clock + (m % 1000) * 1000
    )
    if (exempt[m] === 1) {
      push(
        memberStreams[m],
        Events.makeEvent("ExemptionGranted", { memberId: id, year: YEAR, reason: "elderlyOrInfirm" }),
        clock + (m % 1000) * 1000 + 500
      )
    }
  }

  // --- classes: four per community (one a quarter, five 90-minute sessions each, 40/40/20),
  //     two cadre classes per subdistrict (four 180-minute sessions). Episodes sorted by time.
  const episodes = []
  const classes = []
  const byComm = Array.from({ length: communities }, () => [])
  for (let m = 0; m < M; m++) byComm[memberComm[m]].push(m)
  const addClass = (classId, schoolId, title, format, module, plan, start, enrolled) => {
    const cls = { classId, stream: `class-${classId}`, schoolId, title, format, module, plan, enrolled, sessions: [] }
    plan.forEach((p, k) => {
      cls.sessions.push({ ...p, sessionId: `${classId}-S${k + 1}`, ms: start + k * 14 * DAY })
    })
    classes.push(cls)
    episodes.push({ ms: start - 10 * DAY, kind: "plan", cls })
    for (const s of cls.sessions) episodes.push({ ms: s.ms, kind: "session", cls, s })
    // completion two weeks after the last session: every make-up (1–12 days after its session) comes first
    episodes.push({ ms: cls.sessions[cls.sessions.length - 1].ms + 14 * DAY + 7 * HOUR, kind: "complete", cls })
  }
  for (let c = 0; c < communities; c++) {
    for (let q = 0; q < 4; q++) {
      const classId = `${comms[c]}-${YEAR}Q${q + 1}`
      const start = Y0 + (q * 91 + 20 + (c % 9)) * DAY + 19 * HOUR
      addClass(
        classId,
        comms[c],
        CLASS_TITLES[(c + q) % CLASS_TITLES.length],
        q === 0 ? "rotational" : "concentrated",
        ["ruralRevitalisation", "grassrootsGovernance", "partyAffairs"][(c + q) % 3],
        SESSION_PLAN,
        start,
        byComm[c]
      )
    }
  }
  subs.forEach((s, i) => {
    const cadres = []
    for (let m = 0; m < M; m++) if (cadre[m] === 1 && memberComm[m] % subs.length === i) cadres.push(m)
    for (let k = 0; k < 2; k++) {
      addClass(
        `${s}-${YEAR}K${k + 1}`,
        s,
        "基层党组织书记和党务干部示范培训班",
        "concentrated",
        "partyAffairs",
        CADRE_PLAN,
        Y0 + (60 + k * 150 + i) * DAY + 9 * HOUR,
        cadres
      )
    }
  })
  // a few transfers and deregistrations late in the year, after the last class
  const late = Y0 + 355 * DAY + 10 * HOUR
  for (let m = 0; m < M; m++) {
    const r = rng()
    if (r < 0.003) {
      episodes.push({ ms: late + (m % 100) * 1000, kind: "transfer", m })
    } else if (r < 0.005) {
      deregistered[m] = 1
      episodes.push({ ms: late + DAY + (m % 100) * 1000, kind: "deregister", m })
    }
  }
  episodes.sort((a, b) => a.ms - b.ms)

  // make-ups wait in buckets by day, emitted in time order once their time has come
  const makeUpDays = new Map()
  let nextMakeUpDay = 0
  const addMakeUp = (mu) => {
    const day = Math.floor((mu.ms - Y0) / DAY)
    const bucket = makeUpDays.get(day)
    if (bucket === undefined) makeUpDays.set(day, [mu])
    else bucket.push(mu)
  }
  const emitMakeUps = (until) => {
    const lastDay = until === Number.POSITIVE_INFINITY ? 800 : Math.floor((until - Y0) / DAY) - 1
    for (; nextMakeUpDay <= lastDay; nextMakeUpDay++) {
      const bucket = makeUpDays.get(nextMakeUpDay)
      if (bucket === undefined) continue
      makeUpDays.delete(nextMakeUpDay)
      bucket.sort((a, b) => a.ms - b.ms)
      for (const mu of bucket) emitMakeUp(mu)
    }
  }
  const emitMakeUp = (mu) => {
    {
      const { cls, s, m } = mu
      const memberId = memberIds[m]
      const minutes = s.minutes
      push(
        cls.stream,
        Events.makeEvent("MakeUpCompleted", {
          classId: cls.classId,
          sessionId: s.sessionId,
          memberId,
          minutes,
          at: at(mu.ms),
          mode: "online"
        }),
        mu.ms
      )
      grant(cls, s, m, minutes, mu.ms + 60_000)
    }
  }
  const grant = (cls, s, m, minutes, ms) => {
    const memberId = memberIds[m]
    const hours = standard45(minutes)
    if (hours <= 0) return
    push(
      creditStreams[m],
      Events.makeEvent("CreditGranted", {
        memberId,
        grantId: `standard-45:${cls.classId}:${s.sessionId}:${memberId}`,
        year: YEAR,
        hours,
        category: s.category,
        mode: "inPerson",
        source: { kind: "session", classId: cls.classId, sessionId: s.sessionId },
        policyId: "standard-45",
        at: at(ms)
      }),
      ms
    )
  }

  for (const ep of episodes) {
    emitMakeUps(ep.ms)
    const cls = ep.cls
    if (ep.kind === "plan") {
      const stream = cls.stream
      push(
        stream,
        Events.makeEvent("ClassPlanned", {
          classId: cls.classId,
          schoolId: cls.schoolId,
          title: cls.title,
          format: cls.format,
          module: cls.module,
          capacity: Math.max(1, cls.enrolled.length + 20)
        }),
        ep.ms
      )
      for (const s of cls.sessions) {
        const data = {
          classId: cls.classId,
          sessionId: s.sessionId,
          title: s.title,
          category: s.category,
          startsAt: at(s.ms),
          minutes: s.minutes,
          mode: "inPerson"
        }
        if (s.tags !== undefined) data.tags = s.tags
        push(stream, Events.makeEvent("SessionScheduled", data), ep.ms + 60_000)
      }
      const enrolAt = at(ep.ms + 2 * DAY)
      for (const m of cls.enrolled) {
        push(
          stream,
          Events.makeEvent("MemberEnrolled", { classId: cls.classId, memberId: memberIds[m], at: enrolAt }),
          ep.ms + 2 * DAY
        )
      }
    } else if (ep.kind === "session") {
      const s = ep.s
      const stream = cls.stream
      const attended = []
      for (const m of cls.enrolled) {
        const r = rng()
        if (exempt[m] === 1 && r < 0.7) continue // at home; some get home delivery via make-up
        if (r < 0.74) {
          const minutes = r < 0.66 ? s.minutes : s.minutes - 1 - randInt(rng, 40)
          push(
            stream,
            Events.makeEvent("AttendanceRecorded", {
              classId: cls.classId,
              sessionId: s.sessionId,
              memberId: memberIds[m],
              minutes,
              at: at(s.ms + randInt(rng, 15) * 60_000)
            }),
            s.ms + s.minutes * 60_000
          )
          attended.push([m, minutes])
        } else if (r < 0.79) {
          push(
            stream,
            Events.makeEvent("LeaveGranted", {
              classId: cls.classId,
              sessionId: s.sessionId,
              memberId: memberIds[m],
              reason: pick(rng, LEAVE_REASONS)
            }),
            s.ms - HOUR
          )
          if (r < 0.765) addMakeUp({ ms: s.ms + (1 + randInt(rng, 11)) * DAY + randInt(rng, 600) * 60_000, cls, s, m })
        }
      }
      const grantAt = s.ms + s.minutes * 60_000 + HOUR
      for (const [m, minutes] of attended) grant(cls, s, m, minutes, grantAt)
    } else if (ep.kind === "complete") {
      push(cls.stream, Events.makeEvent("ClassCompleted", { classId: cls.classId, at: at(ep.ms) }), ep.ms)
    } else if (ep.kind === "transfer") {
      const m = ep.m
      const to = comms[(memberComm[m] + 1) % communities]
      push(
        memberStreams[m],
        Events.makeEvent("MemberTransferred", {
          memberId: memberIds[m],
          schoolId: to,
          effectiveOn: Calendar.localDateOfInstantOffset(at(ep.ms))
        }),
        ep.ms
      )
    } else if (ep.kind === "deregister") {
      const m = ep.m
      push(
        memberStreams[m],
        Events.makeEvent("MemberDeregistered", {
          memberId: memberIds[m],
          effectiveOn: Calendar.localDateOfInstantOffset(at(ep.ms)),
          reason: "组织关系转出本区"
        }),
        ep.ms
      )
    }
  }
  emitMakeUps(Number.POSITIVE_INFINITY)
  return { entries, schools: 1 + subs.length + communities, members: M, classes: classes.length }
}

/**
 * The import plan of a log in global order: runs of consecutive events of one stream become one
 * append (at most `maxBatch` events) with the exact expected version, as an importer does.
 */
export const importPlan = (entries, maxBatch = 1000) => {
  const versions = new Map()
  const appends = []
  let i = 0
  while (i < entries.length) {
    const stream = entries[i].stream
    let j = i + 1
    while (j < entries.length && j - i < maxBatch && entries[j].stream === stream) j++
    const expected = versions.get(stream) ?? 0
    appends.push({ stream, expected, events: entries.slice(i, j) })
    versions.set(stream, expected + (j - i))
    i = j
  }
  return appends
}
