// Deterministic member-centred event data for W1–W4: class streams (planning, sessions,
// enrolments, attendance), credit streams (grants and the odd revocation) and member streams.
// Events are built with the core's constructors (runtime form: branded ids, hours in 0.01 h)
// and checked against the core's append rules by `checkAppends` before any timing starts.
import { AppendRules, Calendar, EventCodec, Events } from "@xueshi/core"
import { hashString, makeRng, mix, pick, randInt, uuid } from "./rng.mjs"

const T0 = Date.UTC(2025, 2, 1, 0, 0, 0) // 2025-03-01T08:00+08:00
const OFFSET = 480 // Asia/Shanghai

const TITLES = [
  "学习贯彻党的二十届三中全会精神专题辅导",
  "基层党组织建设与党务工作实务",
  "乡村振兴战略与村级集体经济发展",
  "先进模范事迹报告会暨党性教育",
  "新时代基层治理能力提升培训",
  "党章党规党纪学习教育专题班"
]
const MODULES = ["ruralRevitalisation", "grassrootsGovernance", "partyAffairs"]
const CATEGORIES = ["theory", "theory", "practice", "practice", "exemplar"]
const MODES = ["inPerson", "inPerson", "inPerson", "online", "liveStream", "onSite"]
const FORMATS = ["concentrated", "rotational", "microLesson", "onSite", "branchStudy"]
const MEMBER_CATS = [
  ["ordinaryMember"],
  ["ordinaryMember"],
  ["ordinaryMember", "mobileMember"],
  ["grassrootsSecretary", "ordinaryMember"],
  ["probationaryMember"],
  ["committeeMember", "partyAffairsWorker"]
]
const LEAVE_REASONS = ["因公出差，经支部书记批准请假", "身体不适，已提交病假证明", "家中有事，已向班主任请假"]

const pad = (n, w) => String(n).padStart(w, "0")
const instant = (ms) => Calendar.makeInstant(ms, OFFSET)

/** The kind and ids of W-stream `s`: 45% class streams, 45% credit streams, 10% member streams. */
export const streamOf = (s) => {
  const k = s % 20
  const sub = pad((s % 11) + 1, 2)
  const comm = pad((s % 271) + 1, 3)
  if (k < 9) {
    const classId = `XQ-S${sub}-C${comm}-2025-K${pad(s, 5)}`
    return { name: `class-${classId}`, kind: "class", classId, schoolId: `XQ-S${sub}-C${comm}` }
  }
  const memberId = `XQ-S${sub}-M${pad(s, 6)}`
  return k < 18
    ? { name: `credit-${memberId}`, kind: "credit", memberId, schoolId: `XQ-S${sub}-C${comm}` }
    : { name: `member-${memberId}`, kind: "member", memberId, schoolId: `XQ-S${sub}-C${comm}` }
}

/** The runtime event at `version` of W-stream `s` (a pure function of seed, s and version). */
export const eventAt = (seed, s, version) => {
  const st = typeof s === "number" ? streamOf(s) : s
  const idx = typeof s === "number" ? s : 0
  const rng = makeRng(mix(mix(seed, hashString(st.name)), version))
  const at = instant(T0 + version * 3_600_000 + (idx % 1440) * 60_000)
  if (st.kind === "class") {
    const { classId, schoolId } = st
    if (version === 1) {
      return Events.makeEvent("ClassPlanned", {
        classId,
        schoolId,
        title: `${pick(rng, TITLES)}（2025年第${1 + randInt(rng, 9)}期）`,
        format: pick(rng, FORMATS),
        module: pick(rng, MODULES),
        audience: ["ordinaryMember", "grassrootsSecretary"],
        capacity: 60 + randInt(rng, 120)
      })
    }
    if (version <= 5) {
      return Events.makeEvent("SessionScheduled", {
        classId,
        sessionId: `${classId}-S${version - 1}`,
        title: pick(rng, TITLES),
        category: pick(rng, CATEGORIES),
        startsAt: at,
        minutes: pick(rng, [90, 120, 180]),
        mode: pick(rng, MODES),
        tags: ["newThought"]
      })
    }
    const memberId = `XQ-S${pad(1 + randInt(rng, 11), 2)}-M${pad(randInt(rng, 38_000), 6)}`
    const sessionId = `${classId}-S${1 + randInt(rng, 4)}`
    const r = (version - 6) % 4
    if (r === 0) return Events.makeEvent("MemberEnrolled", { classId, memberId, at })
    if (r === 3 && rng() < 0.25) {
      return Events.makeEvent("LeaveGranted", { classId, sessionId, memberId, reason: pick(rng, LEAVE_REASONS) })
    }
    return Events.makeEvent("AttendanceRecorded", {
      classId,
      sessionId,
      memberId,
      minutes: pick(rng, [85, 90, 118, 120, 175, 180]),
      at
    })
  }
  if (st.kind === "credit") {
    const { memberId } = st
    const classId = `XQ-S${pad(1 + randInt(rng, 11), 2)}-C${pad(1 + randInt(rng, 271), 3)}-2025-K${pad(randInt(rng, 2000), 5)}`
    if (version % 25 === 0) {
      return Events.makeEvent("CreditRevoked", {
        memberId,
        grantId: `standard-45:${classId}-S1:${memberId}:${version - 1}`,
        reason: "考勤更正：该次课程出勤记录有误，撤销对应学时",
        at
      })
    }
    const sessionId = `${classId}-S${1 + randInt(rng, 4)}`
    return Events.makeEvent("CreditGranted", {
      memberId,
      grantId: `standard-45:${sessionId}:${memberId}:${version}`,
      year: 2025,
      hours: pick(rng, [150, 200, 250, 300, 400]),
      category: pick(rng, CATEGORIES),
      mode: pick(rng, MODES),
      source: { kind: "session", classId, sessionId },
      policyId: "standard-45",
      at
    })
  }
  const { memberId, schoolId } = st
  if (version === 1) {
    return Events.makeEvent("MemberRegistered", {
      memberId,
      schoolId,
      categories: pick(rng, MEMBER_CATS),
      joinedOn: "2019-07-01"
    })
  }
  const date = Calendar.localDateOfInstantOffset(at)
  switch (version % 4) {
    case 0:
      return Events.makeEvent("MemberCategoriesChanged", {
        memberId,
        categories: pick(rng, MEMBER_CATS),
        effectiveOn: date
      })
    case 1:
      return Events.makeEvent("ExemptionGranted", {
        memberId,
        year: 2025,
        reason: pick(rng, ["elderlyOrInfirm", "illness"])
      })
    case 2:
      return Events.makeEvent("ExemptionRevoked", { memberId, year: 2025, reason: "illness" })
    default:
      return Events.makeEvent("MemberTransferred", {
        memberId,
        schoolId: `XQ-S${pad(1 + randInt(rng, 11), 2)}-C${pad(1 + randInt(rng, 271), 3)}`,
        effectiveOn: date
      })
  }
}

/** The recordedAt of the n-th append of a data set. */
export const recordedAtOf = (n) => instant(T0 + 400 * 86_400_000 + n * 10)

/** An event id: the n-th UUID of a data set (a pure function of seed, tag and n). */
export const idOf = (seed, tag, n) => uuid(makeRng(mix(mix(seed, hashString(tag)), n)))

/** A seeded permutation of 0..n-1. */
export const permutation = (seed, n) => {
  const rng = makeRng(seed)
  const p = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = randInt(rng, i + 1)
    const t = p[i]
    p[i] = p[j]
    p[j] = t
  }
  return p
}

/**
 * W1: `events` single-event appends over `streams` streams, each with its exact expected version:
 * rounds over every stream, in a seeded order per round.
 */
export const makeW1 = (seed, { events, streams }) => {
  const out = []
  const rounds = Math.ceil(events / streams)
  for (let round = 0; round < rounds && out.length < events; round++) {
    for (const s of permutation(mix(seed, round), streams)) {
      if (out.length >= events) break
      const n = out.length
      const st = streamOf(s)
      out.push({
        stream: st.name,
        expected: round,
        events: [{ event: eventAt(seed, s, round + 1), id: idOf(seed, "W1", n), recordedAt: recordedAtOf(n) }]
      })
    }
  }
  return out
}

/** W2: `events` events in appends of `batch` to one stream each, over events / (4 × batch) streams (4 appends each). */
export const makeW2 = (seed, { events, batch }) => {
  const calls = Math.ceil(events / batch)
  const streams = Math.max(1, Math.floor(calls / 4))
  const out = []
  let n = 0
  for (let c = 0; c < calls; c++) {
    const s = 100_000 + (c % streams)
    const st = streamOf(s)
    const round = Math.floor(c / streams)
    const evs = []
    for (let k = 0; k < batch && n < events; k++, n++) {
      evs.push({ event: eventAt(seed, s, round * batch + k + 1), id: idOf(seed, "W2", n), recordedAt: recordedAtOf(n) })
    }
    out.push({ stream: st.name, expected: round * batch, events: evs })
  }
  return out
}

/** W3: a worker's next stream index (uniform over `streams`). */
export const w3Streams = (seed, worker, count, streams) => {
  const rng = makeRng(mix(mix(seed, 0x573), worker))
  return Array.from({ length: count }, () => 200_000 + randInt(rng, streams))
}

/** The wire form of a runtime payload (only hours differ: 0.01 h integers on the wire are decimals). */
export const wireData = (type, data) => (type === "CreditGranted" ? { ...data, hours: data.hours / 100 } : data)

/** A stored record in wire form, as the floors keep it. */
export const wireRecord = (stream, e, version, position) => ({
  stream,
  type: e.event.type,
  data: wireData(e.event.type, e.event.data),
  version,
  id: e.id,
  schemaVersion: 1,
  recordedAt: e.recordedAt,
  position
})

/** The canonical event-log-v1 line of a wire record (what `EventLogCodec.encodeLine` writes). */
export const lineOf = (r) => JSON.stringify(r)

/**
 * Checks a list of appends `{stream, expected, events}` against the core: every event passes
 * `AppendRules.encodeAppend` at its version and position, and for a sample the floors' line is
 * byte-identical to `EventLogCodec.encodeLine`. Throws on the first failure. Returns the mean
 * payload size in bytes (UTF-8 JSON of `data`).
 */
export const checkAppends = (appends, { sampleEvery = 1 } = {}) => {
  const versions = new Map()
  let head = 0
  let bytes = 0
  let count = 0
  for (let a = 0; a < appends.length; a++) {
    const { stream, expected, events } = appends[a]
    const current = versions.get(stream) ?? 0
    if (typeof expected === "number" && expected !== current) {
      throw new Error(`data set: append ${a} to ${stream} expects version ${expected}, the stream is at ${current}`)
    }
    if (a % sampleEvery === 0) {
      const res = AppendRules.encodeAppend(stream, events, current, head, recordedAtOf(0))
      if (res._tag !== "Success") {
        throw new Error(`data set: append ${a} to ${stream} fails encodeAppend: ${JSON.stringify(res.failure)}`)
      }
      for (let i = 0; i < events.length; i++) {
        const mine = lineOf(wireRecord(stream, events[i], current + i + 1, head + i + 1))
        const core = EventCodec.EventLogCodec.encodeLine(res.success[i])
        if (mine !== core) throw new Error(`data set: the floor's line differs from the codec's:\n  ${mine}\n  ${core}`)
        bytes += Buffer.byteLength(
          JSON.stringify(events[i].event.data === undefined ? {} : wireData(events[i].event.type, events[i].event.data))
        )
        count++
      }
    }
    versions.set(stream, current + events.length)
    head += events.length
  }
  return { payloadBytes: count === 0 ? 0 : bytes / count, events: head }
}
