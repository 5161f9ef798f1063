// Speed of the importers (`node bench/import.mjs`, after `pnpm build`): a district-sized set of
// sign-in sheets and a batch of xAPI statements, imported through the built @xueshi/import into the
// memory adapter. Standalone (not part of bench/run.mjs). Prints rows/s and statements/s.
//
//   --members=N     members of the district (default 38000, Xiqing), in classes of 100
//   --sessions=N    sessions per class (default 4): rows = members × sessions
//   --statements=N  xAPI statements (default 20000; 5% of them void an earlier one)
//   --xlsx=N        rows of one XLSX sheet read by exceljs (default 20000)
//   --seed=N        the seed of the statuses (default 2025)
import { createRequire } from "node:module"
import { performance } from "node:perf_hooks"
import { LogTransfer } from "@xueshi/core"
import { Random } from "@xueshi/testing"
import { Effect } from "effect"
import { MemoryEventStore } from "../packages/adapter-memory/dist/index.js"
import { RosterImport, RosterSheet, XapiImport, XapiMapping } from "../packages/import/dist/index.js"

const arg = (name, fallback) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`))
  return a === undefined ? fallback : Number(a.slice(name.length + 3))
}
const MEMBERS = arg("members", 38_000)
const SESSIONS = arg("sessions", 4)
const STATEMENTS = arg("statements", 20_000)
const XLSX_ROWS = arg("xlsx", 20_000)
// the kit's one seeded generator
const random = Random.makeRandom(arg("seed", 2025)).next
const PER_CLASS = 100
const CLASSES = Math.ceil(MEMBERS / PER_CLASS)
const TITLES = ["党的二十大精神", "基层治理实务", "先进模范事迹", "党章党规", "乡村振兴", "党务工作"]

// --- the district: one school, the members, classes with their sessions --------------------
const line = (stream, type, data) => JSON.stringify({ stream, type, data })
const seedLog = () => {
  const out = [line("school-XQ", "SchoolRegistered", { schoolId: "XQ", name: "西青区委党校", tier: "district" })]
  for (let m = 1; m <= MEMBERS; m++)
    out.push(
      line(`member-M${m}`, "MemberRegistered", { memberId: `M${m}`, schoolId: "XQ", categories: ["ordinaryMember"] })
    )
  for (let c = 1; c <= CLASSES; c++) {
    const classId = `C${c}`
    out.push(
      line(`class-${classId}`, "ClassPlanned", { classId, schoolId: "XQ", title: `班次${c}`, format: "concentrated" })
    )
    for (let s = 1; s <= SESSIONS; s++) {
      const day = String(1 + ((s * 7) % 28)).padStart(2, "0")
      const month = String(3 + Math.floor(s / 4)).padStart(2, "0")
      out.push(
        line(`class-${classId}`, "SessionScheduled", {
          classId,
          sessionId: `S${s}`,
          title: `${TITLES[s % TITLES.length]}${s}`,
          category: ["theory", "practice", "exemplar"][s % 3],
          startsAt: `2025-${month}-${day}T19:00:00+08:00`,
          minutes: 90,
          mode: "inPerson"
        })
      )
    }
  }
  out.push(line("class-W", "ClassPlanned", { classId: "W", schoolId: "XQ", title: "网上党课", format: "online" }))
  out.push(
    line("class-W", "SessionScheduled", {
      classId: "W",
      sessionId: "W1",
      title: "网上党课",
      category: "theory",
      startsAt: "2025-04-01T09:00:00+08:00",
      minutes: 45,
      mode: "online"
    })
  )
  return `${out.join("\n")}\n`
}

// --- the sheets: one per class, one row per member and session ----------------------------
const STATUS = () => {
  const r = random()
  return r < 0.8 ? "出席" : r < 0.88 ? "请假" : r < 0.94 ? "缺勤" : "补学"
}
const sheetText = (c) => {
  const rows = ["姓名,党员编号,课程编号,时长,考勤状态,备注"]
  const first = (c - 1) * PER_CLASS + 1
  const last = Math.min(MEMBERS, c * PER_CLASS)
  for (let s = 1; s <= SESSIONS; s++)
    for (let m = first; m <= last; m++) {
      const status = STATUS()
      const minutes =
        status === "出席" || status === "补学" ? String(random() < 0.9 ? 90 : 30 + Math.floor(random() * 60)) : ""
      rows.push(`党员${m},M${m},S${s},${minutes},${status},${status === "请假" ? "因公外出" : ""}`)
    }
  return `${rows.join("\n")}\n`
}

const fmt = (n) => Math.round(n).toLocaleString("en-US")
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`

const program = Effect.gen(function* () {
  let t = performance.now()
  yield* LogTransfer.importLog(seedLog())
  console.log(
    `seed: ${fmt(MEMBERS)} members, ${fmt(CLASSES)} classes × ${SESSIONS} sessions in ${secs(performance.now() - t)}`
  )

  // sheets: parse (csv-parse) + import, then the same sheets again (no-op), then one changed sheet per class
  const texts = Array.from({ length: CLASSES }, (_, i) => sheetText(i + 1))
  let rows = 0
  let appended = 0
  let parseMs = 0
  t = performance.now()
  for (let c = 1; c <= CLASSES; c++) {
    const p = performance.now()
    const sheet = yield* RosterSheet.readCsv(texts[c - 1], `C${c}.csv`)
    parseMs += performance.now() - p
    const r = yield* RosterImport.importSheet(sheet, { classId: `C${c}` })
    rows += sheet.rows.length
    appended += r.appended
  }
  const first = performance.now() - t
  console.log(
    `roster import: ${fmt(rows)} rows in ${CLASSES} sheets, ${fmt(appended)} events, ${secs(first)}: ${fmt(rows / (first / 1000))} rows/s (csv-parse ${fmt(rows / (parseMs / 1000))} rows/s of it)`
  )
  t = performance.now()
  let again = 0
  for (let c = 1; c <= CLASSES; c++) {
    const sheet = yield* RosterSheet.readCsv(texts[c - 1], `C${c}.csv`)
    again += (yield* RosterImport.importSheet(sheet, { classId: `C${c}` })).appended
  }
  const second = performance.now() - t
  if (again !== 0) throw new Error(`a re-import appended ${again} events`)
  console.log(`roster re-import (no-op): ${fmt(rows / (second / 1000))} rows/s`)

  // XLSX: one sheet of XLSX_ROWS rows written by exceljs, then read back
  const Excel = createRequire(new URL("../packages/import/package.json", import.meta.url))("exceljs")
  const workbook = new Excel.Workbook()
  const ws = workbook.addWorksheet("签到表")
  ws.addRow(["姓名", "党员编号", "课程编号", "时长", "考勤状态"])
  for (let i = 0; i < XLSX_ROWS; i++)
    ws.addRow([`党员${i}`, `M${(i % MEMBERS) + 1}`, `S${(i % SESSIONS) + 1}`, 90, "出席"])
  const buffer = yield* Effect.promise(() => workbook.xlsx.writeBuffer())
  const { Readable } = yield* Effect.promise(() => import("node:stream"))
  t = performance.now()
  const xlsx = yield* RosterSheet.readXlsx(Readable.from([Buffer.from(buffer)]), "bench.xlsx")
  const xlsxMs = performance.now() - t
  console.log(
    `xlsx read (exceljs): ${fmt(xlsx.rows.length)} rows in ${secs(xlsxMs)}: ${fmt(xlsx.rows.length / (xlsxMs / 1000))} rows/s`
  )

  // xAPI: attendance at the online session and external credit, 5% voidings
  const mapping = XapiMapping.decode({
    actors: [{ homePage: "https://study.example.cn", nameIsMemberId: true }],
    activities: {
      "https://study.example.cn/activity/W/W1": { classId: "W", sessionId: "W1" },
      "https://study.example.cn/course/101": { system: "study.example.cn", minutesPerHour: 45, category: "theory" }
    }
  })
  if (mapping._tag !== "Success") throw new Error("bad mapping")
  const uuid = (n) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`
  const statements = []
  for (let i = 0; i < STATEMENTS; i++) {
    const member = `M${(i % MEMBERS) + 1}`
    const toSession = i < MEMBERS && i % 3 === 0
    if (i > 20 && random() < 0.05 && statements[i - 21]?.verb.id.endsWith("/voided") === false) {
      statements.push({
        id: uuid(i + 1),
        actor: { objectType: "Agent", account: { homePage: "https://study.example.cn", name: "admin" } },
        verb: { id: "http://adlnet.gov/expapi/verbs/voided" },
        object: { objectType: "StatementRef", id: uuid(i - 20) },
        timestamp: "2025-06-01T09:00:00+08:00",
        stored: "2025-06-01T01:00:00.000Z",
        version: "1.0.0"
      })
      continue
    }
    statements.push({
      id: uuid(i + 1),
      actor: { objectType: "Agent", name: "党员", account: { homePage: "https://study.example.cn", name: member } },
      verb: { id: `http://adlnet.gov/expapi/verbs/${toSession ? "attended" : "completed"}` },
      object: {
        objectType: "Activity",
        id: toSession ? "https://study.example.cn/activity/W/W1" : "https://study.example.cn/course/101"
      },
      result: { duration: toSession ? "PT40M" : "PT1H30M", completion: true },
      context: { registration: uuid(1_000_000 + i) },
      timestamp: "2025-05-12T21:05:00+08:00",
      stored: "2025-05-12T13:05:02.010Z",
      authority: { objectType: "Agent", account: { homePage: "https://study.example.cn", name: "lrs" } },
      version: "1.0.0"
    })
  }
  const ndjson = statements.map((s) => JSON.stringify(s)).join("\n")
  t = performance.now()
  const x = yield* XapiImport.importText(ndjson, { mapping: mapping.success })
  const xMs = performance.now() - t
  console.log(
    `xapi import: ${fmt(STATEMENTS)} statements, ${fmt(x.appended)} events, ${x.ignored.length} ignored, ${secs(xMs)}: ${fmt(STATEMENTS / (xMs / 1000))} statements/s`
  )
  t = performance.now()
  const x2 = yield* XapiImport.importText(ndjson, { mapping: mapping.success })
  const x2Ms = performance.now() - t
  if (x2.appended !== 0) throw new Error(`an xAPI re-import appended ${x2.appended} events`)
  console.log(`xapi re-import (every statement skipped): ${fmt(STATEMENTS / (x2Ms / 1000))} statements/s`)
})

await Effect.runPromise(program.pipe(Effect.provide(MemoryEventStore.layer())))
